/** Which models are generated, from which files, into which folder of `packages/api/src/generated/`. */
export interface ServiceSpec {
  /** Folder name and identifier prefix (`kinesis` -> `kinesisShapes`, `KinesisOperationName`). */
  readonly name: string;
  readonly modelPath: string;
  readonly patchPath?: string;
  readonly validationOrderPath?: string;
  /** Java package of AWS's model classes, shown in `toString()` renderings inside validation messages. */
  readonly defaultJavaPackage: string;
}

export const serviceSpecs: readonly ServiceSpec[] = [
  {
    name: 'kinesis',
    modelPath: 'model/kinesis/2013-12-02/service-2.json',
    patchPath: 'model/patches/kinesis.json',
    validationOrderPath: 'model/validation-order/kinesis.json',
    defaultJavaPackage: 'com.amazonaws.kinesis.v20131202',
  },
  {
    name: 'firehose',
    modelPath: 'model/firehose/2015-08-04/service-2.json',
    defaultJavaPackage: 'com.amazonaws.firehose.v20150804',
  },
];
