/**
 * The part of riffle's src/cluster that the NATS harness uses, loaded at run time from riffle's build, as
 * start-riffle.ts runs riffle's main.js: testkit cannot depend on riffle (riffle's and storage-nats's tests depend on
 * testkit, a cycle for `tsc -b`). riffle's src/cluster/nats-server-tools.test.ts checks at compile time that riffle's
 * functions have these types, so the harness and `riffle cluster` share one nats-server config writer.
 */
export interface NatsServerConfigSpec {
  readonly name: string;
  readonly host: string;
  readonly clientPort: number;
  readonly monitorPort: number;
  readonly storeDir: string;
  readonly maxPayload?: number;
  readonly cluster?: { readonly name: string; readonly port: number; readonly routes: readonly string[] };
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly caFile?: string; readonly verify?: boolean };
  readonly authorization?: { readonly users?: readonly { readonly user: string; readonly password: string }[]; readonly token?: string };
  readonly operator?: { readonly jwt: string; readonly systemAccount: string; readonly accounts: Readonly<Record<string, string>> };
}

export interface NatsServerTools {
  readonly natsServerConfig: (spec: NatsServerConfigSpec) => string;
  readonly jetStreamReady: (monitorUrl: string, clustered: boolean) => Promise<boolean>;
  readonly freePort: () => Promise<number>;
}

const built = (file: string) => new URL(`../../../riffle/dist/src/cluster/${file}`, import.meta.url).href;

let tools: Promise<NatsServerTools> | undefined;

export function riffleNatsTools(): Promise<NatsServerTools> {
  tools ??= Promise.all([import(built('nats-server-config.js')), import(built('jetstream-ready.js')), import(built('free-port.js'))]).then(
    ([config, ready, port]) => ({ natsServerConfig: config.natsServerConfig, jetStreamReady: ready.jetStreamReady, freePort: port.freePort }) as NatsServerTools,
    (error: Error) => {
      throw new Error(`the NATS harness needs riffle built (npx tsc -b): ${error.message}`);
    },
  );
  return tools;
}
