// The metrics registry (CloudWatch metric names, Prometheus exposition) arrives with its own issue;
// nothing is exported yet, so the engine depends on this package only through its project reference.
export {};
