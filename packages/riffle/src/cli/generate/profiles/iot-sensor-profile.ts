import type { SeededRandom } from '../seeded-random.js';
import { jsonRecord, rounded, walk, type DataProfile, type DataProfileKind } from './data-profile.js';

const DEVICES = 20;
/** Sites the sensors sit around (lat, lon): each device keeps its own spot a few km from one. */
const SITES: readonly (readonly [number, number])[] = [[52.52, 13.405], [47.3769, 8.5417], [40.7128, -74.006], [35.6762, 139.6503], [-33.8688, 151.2093]];

function createIotSensor(random: SeededRandom): DataProfile {
  const devices = Array.from({ length: DEVICES }, (_, i) => {
    const own = random.fork();
    const [lat, lon] = own.pick(SITES);
    return {
      deviceId: `sensor-${String(i + 1).padStart(3, '0')}`,
      random: own,
      lat: lat + own.float(-0.05, 0.05),
      lon: lon + own.float(-0.05, 0.05),
      temperature: own.float(15, 30),
      humidity: own.float(30, 70),
      battery: own.float(60, 100),
    };
  });
  let turn = 0;
  return {
    defaultKeyField: 'deviceId',
    next(timestampMs) {
      const device = devices[turn++ % devices.length]!;
      const own = device.random;
      device.temperature = walk(own, device.temperature, 0.4, -20, 50);
      device.humidity = walk(own, device.humidity, 1.5, 0, 100);
      // Batteries drain a little with every reading and are swapped when empty.
      device.battery -= own.float(0.01, 0.08);
      if (device.battery <= 0) device.battery = 100;
      return jsonRecord({
        deviceId: device.deviceId,
        timestamp: new Date(timestampMs).toISOString(),
        temperature: rounded(device.temperature, 2),
        humidity: rounded(device.humidity, 2),
        battery: rounded(device.battery, 2),
        lat: rounded(device.lat + own.float(-0.00005, 0.00005), 6),
        lon: rounded(device.lon + own.float(-0.00005, 0.00005), 6),
      });
    },
  };
}

export const iotSensorProfile: DataProfileKind = {
  summary: 'temperature, humidity, battery and position of 20 sensors (JSON, key: deviceId)',
  create: createIotSensor,
};
