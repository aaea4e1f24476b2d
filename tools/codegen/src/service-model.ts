/** The parts of a botocore `service-2.json` the generator reads. */

export interface ModelShapeRef {
  readonly shape: string;
  readonly locationName?: string;
}

export interface ModelShape {
  readonly type: string;
  readonly members?: Readonly<Record<string, ModelShapeRef>>;
  readonly required?: readonly string[];
  readonly member?: ModelShapeRef;
  readonly key?: ModelShapeRef;
  readonly value?: ModelShapeRef;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly exception?: boolean;
  readonly fault?: boolean;
  /** botocore's error trait; only present when the wire code or status differs from the defaults. */
  readonly error?: { readonly code?: string; readonly httpStatusCode?: number; readonly senderFault?: boolean };
  readonly eventstream?: boolean;
  readonly event?: boolean;
}

export interface ModelOperation {
  readonly name: string;
  readonly input?: ModelShapeRef;
  /** `resultWrapper`: the query protocol's `<OperationResult>` element. */
  readonly output?: ModelShapeRef & { readonly resultWrapper?: string };
  readonly errors?: readonly ModelShapeRef[];
}

export interface ServiceModelDocument {
  readonly metadata: {
    readonly apiVersion: string;
    readonly endpointPrefix: string;
    readonly jsonVersion?: string;
    readonly protocol: string;
    readonly serviceId: string;
    readonly signingName?: string;
    readonly targetPrefix?: string;
    /** The query protocol's XML namespace. */
    readonly xmlNamespace?: string;
  };
  readonly operations: Readonly<Record<string, ModelOperation>>;
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

/** `model/validation-order/<service>.json`: AWS's observed reporting order. */
export interface ValidationOrderDocument {
  readonly javaPackage?: string;
  readonly constraintOrder?: readonly string[];
  readonly elementConstraintOrder?: readonly string[];
  /** Operation name -> input members in reporting order. */
  readonly operations?: Readonly<Record<string, readonly string[]>>;
  /** Structure shape name -> members in reporting order. */
  readonly shapes?: Readonly<Record<string, readonly string[]>>;
  /** Enum shape name -> values in the order AWS prints them. */
  readonly enums?: Readonly<Record<string, readonly string[]>>;
}
