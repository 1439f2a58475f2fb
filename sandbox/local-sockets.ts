/**
 * Which connections to the sandbox come from this very process (an in-process Lambda handler,
 * a test's SDK client, a `--local` command) and which from another process (the AWS CLI, boto3,
 * another Node process). Every TCP client socket this process opens is noted, by its local and
 * remote ports, through Node's `net.client.socket` diagnostics channel; a request arriving on a
 * connection with the same two ports (seen from the other end) was made here.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/** `<client port>><server port>` of every open client socket of this process. */
const connections = new Set<string>();
let isListening = false;

/** Starts noting this process's client sockets (idempotent; sockets opened before are not known). */
export function watchLocalSockets(): void {
  if (isListening) return;
  isListening = true;
  subscribe('net.client.socket', (message) => {
    const socket = (message as { socket?: Socket }).socket;
    if (!socket) return;
    const note = (): void => {
      if (socket.localPort === undefined || socket.remotePort === undefined) return;
      const key = `${socket.localPort}>${socket.remotePort}`;
      connections.add(key);
      socket.once('close', () => connections.delete(key));
    };
    if (socket.localPort !== undefined) note();
    else socket.once('connect', note);
  });
}

/** True when the server-side socket `socket` is a connection this process opened. */
export function isLocalConnection(socket: Pick<Socket, 'remotePort' | 'localPort'>): boolean {
  return connections.has(`${socket.remotePort}>${socket.localPort}`);
}
