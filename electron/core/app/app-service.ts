import { isLoopbackHost } from '../cloud/target.js';
import { dirname, join } from 'node:path';
import { RECIPE_EXTENSION } from '../publish/recipe.js';
import { saveRecipe } from '../publish/recipe-write.js';
import type { FirmwareSpec } from '../publish/spec.js';
import type { AppInfo, Handlers, OpenRequest, ProfileSummary, Settings } from '../contract.js';
import { whyUnreachable } from '../cloud/reachability.js';
import { networkError, type CloudError } from '../cloud/errors.js';
import { shutdownHashing } from '../files/hashing.js';
import { text } from '../i18n/text.js';
import { readFileFacts } from '../publish/prepare.js';
import type { CloudTarget } from '../cloud/target.js';
import { validateSpec } from '../publish/validation.js';
import { AppError } from './app-error.js';
import { AppEvents } from './app-events.js';
import { testConnection } from './connection-check.js';
import { BuiltInSandbox, SANDBOX_PROFILE, type BuiltInSandboxOptions } from './builtin-sandbox.js';
import { CloudLookups } from './cloud-lookups.js';
import { Connections } from './connections.js';
import { HashService } from './hash-service.js';
import { JobNotifier, type JobNotification } from './job-notifier.js';
import { localize, resolveLocale } from './locale.js';
import { OutboxService } from './outbox-service.js';
import { openRequestFor } from './open-request.js';
import { noProfiles } from './no-profiles.js';
import type { ProfilesPort } from './profiles-port.js';
import { SettingsStore } from './settings-store.js';
import type { Text } from '../i18n/text.js';
import { HistoryService } from './history-service.js';
import { PackagesService } from './packages-service.js';
import { PreflightService } from './preflight-service.js';

export interface AppServiceOptions {
  /** Per-user data folder: settings.json, outbox/, sandbox/. */
  readonly dataDir: string;
  readonly version: string;
  /** The OS locale, e.g. "zh-CN". */
  readonly systemLocale: string;
  readonly platform?: string;
  /** Shows the OS file dialog; resolves to the chosen paths (none when cancelled). */
  readonly pickFiles: () => Promise<readonly string[]>;
  /** The OS save dialog for a recipe, starting at `defaultPath`; null when cancelled. */
  readonly chooseRecipePath?: (defaultPath: string) => Promise<string | null>;
  /** The OS save dialog for the history CSV, starting at `defaultPath`; null when cancelled. */
  readonly chooseCsvPath?: (defaultPath: string) => Promise<string | null>;
  /** Shows an OS notification (a package was published or failed). */
  readonly notify: (notification: JobNotification) => void;
  /** Whether the OS has a network connection (Electron: `net.isOnline()`). */
  readonly isOnline: () => boolean;
  /** The built-in sandbox; false to run without it. */
  readonly sandbox?: BuiltInSandboxOptions | false;
  /** Saved profiles (electron/core/profiles); default: none saved. */
  readonly profiles?: ProfilesPort;
  /** Whether a target answers; default: an HTTP HEAD (electron/core/cloud/reachability). */
  /** Why the target does not answer now (undefined: it does); default whyUnreachable. */
  readonly probe?: (target: CloudTarget, signal: AbortSignal) => Promise<CloudError | undefined>;
  /** How often the runner looks for new jobs and requests (default 500 ms). */
  readonly pollMs?: number;
  /** How often `isOnline()` is read (default 2 s). */
  readonly networkPollMs?: number;
  /** Unexpected errors (logged by the caller; never shown to the user as they are). */
  readonly onUnexpected?: (error: unknown) => void;
}

type Ctx = unknown;

/** What a job waits for while the OS says there is no network: nothing was tried. */
const osOffline = (): Error => Object.assign(new Error('the computer is offline'), { code: 'OFFLINE' });

function isLoopback(endpoint: string): boolean {
  return isLoopbackHost(new URL(endpoint).hostname);
}

/**
 * Everything the window can ask of the app, on plain Node: Electron's main process registers these
 * handlers on ipcMain, the renderer's browser test host calls them directly. Events (progress, job
 * changes, network, open requests) go out through `events`.
 */
export class AppService implements Handlers<Ctx> {
  readonly events = new AppEvents();
  private readonly settingsStore: SettingsStore;
  private readonly sandbox: BuiltInSandbox;
  private readonly profilesPort: ProfilesPort;
  private readonly connections: Connections;
  private readonly hashes: HashService;
  private readonly lookups: CloudLookups;
  private readonly outboxService: OutboxService;
  private readonly notifier: JobNotifier;
  private readonly packagesService: PackagesService;
  private readonly historyService: HistoryService;
  private readonly preflightService: PreflightService;
  private online: boolean;
  private networkTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly options: AppServiceOptions) {
    this.settingsStore = new SettingsStore(join(options.dataDir, 'settings.json'));
    this.sandbox = new BuiltInSandbox(options.dataDir, {
      ...(options.sandbox || {}),
      onCrash: (error, restarted) =>
        options.onUnexpected?.(
          new Error(`The built-in sandbox crashed (${restarted ? 'restarted' : 'left stopped'}).`, {
            cause: error,
          }),
        ),
    });
    this.profilesPort = options.profiles ?? noProfiles();
    this.connections = new Connections(this.sandbox, this.profilesPort);
    this.hashes = new HashService(this.events);
    this.lookups = new CloudLookups(this.connections, this.sandbox, this.settingsStore);
    this.notifier = new JobNotifier(options.notify, () => this.locale());
    this.online = options.isOnline();
    const probe = options.probe ?? ((target, signal) => whyUnreachable(target, signal));
    this.outboxService = new OutboxService({
      dataDir: options.dataDir,
      connections: this.connections,
      events: this.events,
      hashes: this.hashes,
      // Loopback (the sandbox) needs no network; anything else is not worth probing while the OS says offline.
      probe: (target, signal) =>
        isLoopback(target.endpoint) || options.isOnline()
          ? probe(target, signal)
          : Promise.resolve(networkError(`reach ${new URL(target.endpoint).host}`, osOffline())),
      onJob: (job) => this.notifier.observe(job),
      onRunnerFailure: options.onUnexpected,
      pollMs: options.pollMs,
    });
    this.packagesService = new PackagesService(this.connections);
    this.historyService = new HistoryService(options.dataDir, options.chooseCsvPath);
    this.preflightService = new PreflightService({
      connections: this.connections,
      isOnline: options.isOnline,
      outboxIssues: (spec) => this.outboxService.nameIssues(spec),
      known: this.hashes.known,
    });
  }

  /** Loads settings, starts the sandbox (unless disabled), then the outbox runner and the network watch. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.settingsStore.load();
    if (this.options.sandbox !== false) await this.sandbox.start();
    await this.outboxService.init();
    this.outboxService.start();
    this.networkTimer = setInterval(() => this.checkNetwork(), this.options.networkPollMs ?? 2_000);
    this.networkTimer.unref();
  }

  /** Stops everything; a job in flight goes back to the queue and resumes at the next start. */
  async close(): Promise<void> {
    clearInterval(this.networkTimer);
    this.hashes.cancelAll();
    await this.outboxService.stop();
    await this.sandbox.close();
    await shutdownHashing();
    this.started = false;
  }

  /** Jobs being worked right now: quitting would interrupt them. */
  activeJobs() {
    return this.outboxService.active();
  }

  /** Text in the language the user sees. */
  localize(value: Text): string {
    return localize(value, this.locale());
  }

  /** Reads `paths` (files and/or a `.otapub` recipe) and asks the window to open them (`open` event). */
  async openFiles(paths: readonly string[]): Promise<OpenRequest> {
    const request = await openRequestFor(paths);
    this.events.emit('open', request);
    return request;
  }

  /** The profile the wizard starts on: the last one used, else the built-in sandbox. */
  defaultProfile(): string {
    return this.settingsStore.get().lastProfile ?? SANDBOX_PROFILE;
  }

  private locale() {
    return resolveLocale(this.settingsStore.get().locale, this.options.systemLocale);
  }

  private checkNetwork(): void {
    const now = this.options.isOnline();
    if (now === this.online) return;
    this.online = now;
    this.events.emit('network-status', { online: now });
    if (now) this.outboxService.wake();
  }

  // ── Handlers (the contract) ───────────────────────────────────────────────────────────────

  readonly app: Handlers<Ctx>['app'] = {
    info: (): AppInfo => ({
      version: this.options.version,
      platform: this.options.platform ?? process.platform,
      systemLocale: this.options.systemLocale,
      online: this.options.isOnline(),
    }),
  };

  readonly settings: Handlers<Ctx>['settings'] = {
    get: (): Settings => ({ ...this.settingsStore.get(), lastProfile: this.defaultProfile() }),
    set: async (ctx, patch) => {
      await this.settingsStore.set(patch);
      return this.settings.get(ctx);
    },
  };

  readonly profiles: Handlers<Ctx>['profiles'] = {
    list: async (): Promise<readonly ProfileSummary[]> => {
      const saved = await this.profilesPort.list();
      const builtIn = this.options.sandbox === false ? [] : [this.sandbox.summary()];
      return [...builtIn, ...saved.filter((p) => p.name !== SANDBOX_PROFILE)];
    },
    regions: () => this.profilesPort.regions(),
    save: async (_ctx, input, secret, securityToken) => {
      if (input.name === SANDBOX_PROFILE || input.provider === 'sandbox') {
        throw new AppError(
          'forbidden',
          text(
            'The built-in sandbox profile cannot be changed; give your profile another name.',
            '内置沙盒配置不可修改；请为您的配置另取名称。',
          ),
        );
      }
      return this.profilesPort.save(input, secret, securityToken);
    },
    remove: async (_ctx, name) => {
      if (name === SANDBOX_PROFILE) {
        throw new AppError(
          'forbidden',
          text('The built-in sandbox profile cannot be removed.', '内置沙盒配置不可删除。'),
        );
      }
      await this.profilesPort.remove(name);
    },
    test: (_ctx, input, secret, securityToken) =>
      testConnection(input, secret, this.profilesPort, {}, securityToken),
    usage: (_ctx, name) => this.outboxService.usage(name),
  };

  readonly files: Handlers<Ctx>['files'] = {
    pick: async () => this.hashes.stat(await this.options.pickFiles()),
    stat: (_ctx, paths) => this.hashes.stat(paths),
    hash: (_ctx, hashId, paths) => this.hashes.hash(hashId, paths),
    cancelHash: (_ctx, hashId) => this.hashes.cancel(hashId),
    saveRecipe: (_ctx, spec, profile, verifyOn) => this.saveRecipe(spec, profile, verifyOn),
  };

  readonly spec: Handlers<Ctx>['spec'] = {
    validate: async (_ctx, spec, dialect) => {
      const { facts, issues } = await readFileFacts(spec);
      const outbox = await this.outboxService.nameIssues(spec);
      return [...validateSpec(spec, dialect, facts), ...issues, ...outbox];
    },
  };

  readonly cloud: Handlers<Ctx>['cloud'] = {
    products: (_ctx, profile) => this.lookups.products(profile),
    modules: (_ctx, profile, productKey) => this.lookups.modules(profile, productKey),
    versions: (_ctx, profile, productKey) => this.lookups.versions(profile, productKey),
    devices: (_ctx, profile, productKey, moduleName) => this.lookups.devices(profile, productKey, moduleName),
  };

  readonly publish: Handlers<Ctx>['publish'] = {
    now: (_ctx, request) => this.submit(request, true),
    queue: (_ctx, request) => this.submit(request, false),
  };

  readonly outbox: Handlers<Ctx>['outbox'] = {
    list: () => this.outboxService.list(),
    retry: (_ctx, id) => this.outboxService.request(id, 'retry'),
    cancel: (_ctx, id) => this.outboxService.request(id, 'cancel'),
    verify: (_ctx, id, devices) => this.outboxService.verify(id, devices),
    move: (_ctx, id, profile) => this.outboxService.move(id, profile),
    damaged: () => this.outboxService.damaged(),
  };

  readonly packages: Handlers<Ctx>['packages'] = {
    list: (_ctx, profile, productKey, moduleName) =>
      this.packagesService.list(profile, productKey, moduleName),
    show: (_ctx, profile, firmwareId) => this.packagesService.show(profile, firmwareId),
    remove: (_ctx, profile, firmwareId) => this.packagesService.remove(profile, firmwareId),
  };

  readonly history: Handlers<Ctx>['history'] = {
    list: () => this.historyService.list(),
    exportCsv: () => this.historyService.exportCsv(),
  };

  readonly preflight: Handlers<Ctx>['preflight'] = {
    checkName: (_ctx, profile, productKey, name) =>
      this.preflightService.checkName(profile, productKey, name),
    check: (_ctx, profile, spec) => this.preflightService.check(profile, spec),
    createModule: (_ctx, profile, productKey, moduleName) =>
      this.preflightService.createModule(profile, productKey, moduleName),
    checkOnly: (_ctx, request) => this.preflightService.checkOnly(request),
  };

  private async saveRecipe(
    spec: FirmwareSpec,
    profile: string | null,
    verifyOn: readonly string[] | null,
  ): Promise<string | null> {
    const first = spec.files[0]?.path;
    if (!first || !this.options.chooseRecipePath) {
      throw new AppError(
        'invalid-argument',
        text('There are no files to name in a recipe.', '没有可写入配方的文件。'),
      );
    }
    const name = spec.firmwareName.replace(/[^\p{L}\p{N}_()-]/gu, '_') || 'publish';
    const path = await this.options.chooseRecipePath(join(dirname(first), `${name}${RECIPE_EXTENSION}`));
    if (path === null) return null;
    const chosen = path.endsWith(RECIPE_EXTENSION) ? path : `${path}${RECIPE_EXTENSION}`;
    const problem = await saveRecipe(spec, chosen, {
      profile: profile ?? undefined,
      verifyOn: verifyOn ?? undefined,
    });
    if (problem) throw new AppError('invalid-argument', problem);
    return chosen;
  }

  private async submit(request: Parameters<OutboxService['publish']>[0], now: boolean) {
    const job = await this.outboxService.publish(request, now);
    await this.settingsStore.rememberProduct(request.profile, request.spec.productKey);
    return job;
  }
}
