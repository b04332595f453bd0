/**
 * The sandbox's MQTT broker (aedes on a plain TCP listener): devices sign in as on Alibaba's
 * platform (credentials.ts) and may use only their own topics (topics.ts).
 */
import { urlHost } from '../request-guard.js';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { parseClientId, parseUsername, devicePassword, passwordMatches } from './credentials.js';
import type { DeviceRecord, DeviceRef } from './device-port.js';
import { mayUseTopic } from './topics.js';

export interface BrokerHooks {
  /** The device's record, if the sandbox knows it (looked up at every CONNECT). */
  readonly device: (ref: DeviceRef) => DeviceRecord | undefined;
  readonly connected: (ref: DeviceRef) => void;
  readonly disconnected: (ref: DeviceRef) => void;
  readonly message: (ref: DeviceRef, topic: string, payload: Buffer) => void;
  /** The device now holds a subscription to `filter` (refused filters are not reported). */
  readonly subscribed: (ref: DeviceRef, filter: string) => void;
  readonly unsubscribed: (ref: DeviceRef, filter: string) => void;
}

export interface Broker {
  /** `mqtt://HOST:PORT`. */
  readonly url: string;
  /** Publishes from the cloud side; resolves once the broker has routed it. */
  publish(topic: string, payload: string, qos: 0 | 1): Promise<void>;
  close(): Promise<void>;
}

/** MQTT CONNACK return codes (3.1.1). */
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function authError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** Which device each signed-in client is (set at CONNECT, read by the authorisers). */
type Identities = WeakMap<Client, DeviceRef>;

function authenticator(hooks: BrokerHooks, identities: Identities): Aedes['authenticate'] {
  return (client, username, password, done) => {
    const parts = parseClientId(client.id);
    const ref = parseUsername(username);
    const record = ref ? hooks.device(ref) : undefined;
    if (!parts || !ref)
      return done(authError('Malformed clientId or username.', BAD_USERNAME_OR_PASSWORD), false);
    if (!record) return done(authError('Unknown device.', NOT_AUTHORIZED), false);
    if (!passwordMatches(password, devicePassword(ref, parts, record.deviceSecret)))
      return done(authError('Wrong password.', BAD_USERNAME_OR_PASSWORD), false);
    identities.set(client, { productKey: record.productKey, deviceName: record.deviceName });
    done(null, true);
  };
}

function createAedes(hooks: BrokerHooks, identities: Identities): Promise<Aedes> {
  return Aedes.createBroker({
    // Alibaba's clientIds are long (`PK&DN|securemode=…|`): do not hold them to MQTT 3.1's 23.
    maxClientsIdLength: 256,
    authenticate: authenticator(hooks, identities),
    authorizePublish: (client, packet, callback) => {
      const ref = client ? identities.get(client) : undefined;
      // A refused publish makes aedes drop the connection, as Alibaba's broker does.
      if (client && (!ref || !mayUseTopic(ref, packet.topic)))
        return callback(new Error(`Not allowed to publish on ${packet.topic}.`));
      callback(null);
    },
    authorizeSubscribe: (client, subscription, callback) => {
      const ref = identities.get(client);
      // A refused filter gets return code 0x80 in the SUBACK (aedes: a null subscription); the
      // connection stays, as on Alibaba's broker.
      if (!ref || !mayUseTopic(ref, subscription.topic)) return callback(null, null);
      callback(null, subscription);
    },
  });
}

function wireEvents(broker: Aedes, hooks: BrokerHooks, identities: Identities): void {
  broker.on('clientReady', (client) => {
    const ref = identities.get(client);
    if (ref) hooks.connected(ref);
  });
  broker.on('clientDisconnect', (client) => {
    const ref = identities.get(client);
    if (ref) hooks.disconnected(ref);
  });
  broker.on('subscribe', (subscriptions, client) => {
    const ref = identities.get(client);
    // aedes reports refused filters too, with the failure code as their QoS.
    for (const sub of subscriptions) if (ref && (sub.qos as number) !== 128) hooks.subscribed(ref, sub.topic);
  });
  broker.on('unsubscribe', (filters, client) => {
    const ref = identities.get(client);
    for (const filter of filters) if (ref) hooks.unsubscribed(ref, filter);
  });
  broker.on('publish', (packet, client) => {
    const ref = client ? identities.get(client) : undefined;
    if (ref) hooks.message(ref, packet.topic, Buffer.from(packet.payload));
  });
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startBroker(host: string, port: number, hooks: BrokerHooks): Promise<Broker> {
  const identities: Identities = new WeakMap();
  const broker = await createAedes(hooks, identities);
  wireEvents(broker, hooks, identities);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  const bound = await listen(server, host, port).catch(async (error: unknown) => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  });
  let closing: Promise<void> | undefined;
  return {
    // A wildcard bind is reached on loopback (as the HTTP side is): `mqtt://0.0.0.0` fails on Windows.
    url: `mqtt://${urlHost(host)}:${bound}`,
    publish: (topic, payload, qos) =>
      new Promise((resolve, reject) =>
        broker.publish(
          { cmd: 'publish', topic, payload: Buffer.from(payload, 'utf8'), qos, retain: false, dup: false },
          (error) => (error ? reject(error) : resolve()),
        ),
      ),
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => broker.close(() => resolve()));
        await closed;
      })();
      return closing;
    },
  };
}
