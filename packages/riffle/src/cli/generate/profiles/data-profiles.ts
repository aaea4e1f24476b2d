import { accessLogsProfile } from './access-logs-profile.js';
import { clickstreamProfile } from './clickstream-profile.js';
import type { DataProfileKind } from './data-profile.js';
import { hostMetricsProfile } from './host-metrics-profile.js';
import { iotSensorProfile } from './iot-sensor-profile.js';

/** The built-in profiles of `--data-profile`, by name. */
export const dataProfiles: Readonly<Record<string, DataProfileKind>> = {
  'host-metrics': hostMetricsProfile,
  clickstream: clickstreamProfile,
  'iot-sensor': iotSensorProfile,
  'access-logs': accessLogsProfile,
};
