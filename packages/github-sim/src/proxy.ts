// A forward proxy for tests of a client behind a self-hosted runner's proxy (HTTPS_PROXY / HTTP_PROXY):
// it answers CONNECT and tunnels every connection to 127.0.0.1 at the port asked for, so a host name that
// resolves nowhere (`api.github.test`) still reaches the emulator, and only through the proxy.
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** A running test proxy. */
export interface TunnelProxy {
  /** `http://127.0.0.1:<port>`, for HTTPS_PROXY / HTTP_PROXY. */
  url: string;
  /** Every CONNECT it was asked for: `host:port` and the `proxy-authorization` header sent with it. */
  connects: Array<{ target: string; authorization: string | undefined }>;
  close: () => Promise<void>;
}

/** Starts a CONNECT proxy on 127.0.0.1 that tunnels every request to 127.0.0.1 (see the file's comment). */
export async function startTunnelProxy(): Promise<TunnelProxy> {
  const connects: TunnelProxy['connects'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end('this proxy only tunnels (CONNECT)'));
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    connects.push({ target: String(req.url), authorization: req.headers['proxy-authorization'] });
    const upstream = connect(Number(String(req.url).split(':').pop()), '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
