import net from 'node:net';

/** Asks the kernel for an unused loopback port (listen on 0, read it back, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** `count` distinct unused loopback ports: every probe stays open until all are taken, so none is handed out twice. */
export async function freePorts(count) {
  const probes = [];
  try {
    for (let index = 0; index < count; index++) {
      const probe = net.createServer();
      probe.unref();
      probes.push(probe);
      await new Promise((resolve, reject) => {
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', resolve);
      });
    }
    return probes.map((probe) => probe.address().port);
  } finally {
    await Promise.all(probes.map((probe) => new Promise((resolve) => (probe.listening ? probe.close(() => resolve()) : resolve()))));
  }
}
