// A TCP proxy for fault tests: forwards a local port to a target (e.g. PostgreSQL on 127.0.0.1:5432)
// and can cut every connection and refuse new ones for a while (`down()` … `up()`), like a database
// outage, without touching the shared server behind it.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections accepted since start (including refused ones). */
  accepted: () => number;
  /** Destroys every open connection; new ones are closed at once until up(). */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let isDown = false;
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    if (isDown) return void client.destroy();
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    down() {
      isDown = true;
      for (const s of sockets) s.destroy();
    },
    up() {
      isDown = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
