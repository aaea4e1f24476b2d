/**
 * The runtime description of an AWS model's shapes, as `tools/codegen` writes it into
 * `generated/<service>/shapes.ts`. Names are the model's; the runtime walks these tables to
 * deserialize, validate and serialize.
 */

export interface MemberDescriptor {
  /** Name of the target shape in the same table. */
  readonly target: string;
  /** The member's name in JSON and CBOR bodies (the model name; JSON 1.1 has no locationName). */
  readonly wireName: string;
  readonly required?: true;
}

export interface StructureShape {
  readonly type: 'structure';
  readonly members: Readonly<Record<string, MemberDescriptor>>;
  /** The order AWS reports this structure's members in validation messages, when it differs from `members`. */
  readonly validationOrder?: readonly string[];
  readonly exception?: true;
  /** A union of event types (SubscribeToShardEventStream). */
  readonly eventStream?: true;
  readonly event?: true;
}

export interface ListShape {
  readonly type: 'list';
  readonly member: string;
  readonly min?: number;
  readonly max?: number;
}

export interface MapShape {
  readonly type: 'map';
  readonly key: string;
  readonly value: string;
  readonly min?: number;
  readonly max?: number;
}

export interface StringShape {
  readonly type: 'string';
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
}

export interface NumberShape {
  readonly type: 'integer' | 'long' | 'double' | 'float';
  readonly min?: number;
  readonly max?: number;
}

export interface BlobShape {
  readonly type: 'blob';
  readonly min?: number;
  readonly max?: number;
}

export interface BooleanShape {
  readonly type: 'boolean';
}

export interface TimestampShape {
  readonly type: 'timestamp';
}

export type ShapeDescriptor =
  | StructureShape
  | ListShape
  | MapShape
  | StringShape
  | NumberShape
  | BlobShape
  | BooleanShape
  | TimestampShape;

export type ShapeTable = Readonly<Record<string, ShapeDescriptor>>;

/** A single-member constraint, named as the model names it. */
export type ConstraintKind = 'required' | 'pattern' | 'min' | 'max' | 'enum';

/** What `validate` needs beyond the shapes: AWS's observed ordering quirks (model/validation-order/). */
export interface ValidationRules {
  /** The order constraints of one member are checked and reported in. */
  readonly constraintOrder: readonly ConstraintKind[];
  /** The order of the texts inside "Member must satisfy constraint: [...]" for list members and map keys/values. */
  readonly elementConstraintOrder: readonly ConstraintKind[];
  /** How AWS lists an enum's values in "Member must satisfy enum value set: [...]", when it differs from the model. */
  readonly enumDisplayOrder: Readonly<Record<string, readonly string[]>>;
  /** Java package of the generated model classes, used in Java `toString()` renderings of structures. */
  readonly javaPackage: string;
}

/** A service's generated contract as the runtime needs it. */
export interface ServiceModel {
  readonly shapes: ShapeTable;
  readonly validationRules: ValidationRules;
}
