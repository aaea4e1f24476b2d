/**
 * The operations whose faults the engine injects (it knows their shards, and a faulted call must neither write nor
 * read); the api layer injects faults for every other operation.
 */
export const DATA_PLANE_FAULT_OPERATIONS = ['PutRecord', 'PutRecords', 'GetRecords', 'GetShardIterator'] as const;

export type DataPlaneFaultOperation = (typeof DATA_PLANE_FAULT_OPERATIONS)[number];
