/**
 * An SMTP server that takes every message and only counts it, in its own process, so that the
 * fan-out benchmark measures the sender, not the receiver's parsing. Prints its port, then the
 * count on SIGTERM.
 */
import { SMTPServer } from 'smtp-server';

let count = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  maxClients: 500,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      count++;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.server.address();
  process.stdout.write(`${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => {
  process.stdout.write(`${count}\n`);
  process.exit(0);
});
