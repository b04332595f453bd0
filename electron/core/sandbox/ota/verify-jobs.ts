/**
 * The sandbox's verify jobs: the tasks' state machine (task-machine.ts) driven by what devices
 * report through the DevicePort, by timers and by the RPC actions, and kept in ota-jobs.json.
 * Every change goes through `apply`, which then settles the job's status and the package's
 * Status/VerifyProgress (verdict.ts) and saves.
 */
import type { DeviceEvent, DevicePort, DeviceRef } from '../devices/device-port.js';
import { sameDevice } from '../devices/registry.js';
import type { SandboxDialect } from '../responses.js';
import type { FirmwareRecord, SandboxStore } from '../store.js';
import { newJobId } from './ids.js';
import { JobFile, type JobFileState } from './job-file.js';
import { deviceOf, isFinal, type OtaJob, type OtaTag, type OtaTask, type TaskStatus } from './model.js';
import { initialState, step, type TaskContext, type TaskInput } from './task-machine.js';
import { TaskTimers } from './task-timers.js';
import { upgradeMessage } from './upgrade-message.js';
import { jobStatusOf, packageStatusOf, verifyProgressOf } from './verdict.js';

export interface VerifyJobsOptions {
  readonly dataDir: string;
  readonly store: SandboxStore;
  readonly devices: DevicePort;
  /** Id style: aliyun 26 letters/digits, tuya long decimal numbers (as in their samples). */
  readonly dialect?: SandboxDialect;
  /** Length of a TimeoutInMinutes minute in ms; tests scale it down. Default 60 000. */
  readonly minuteMs?: number;
  /** The package URL a device is given (a board on the lab network needs the sandbox's LAN address). */
  readonly downloadUrl?: (url: string) => string;
  readonly now?: () => number;
}

/** A verify job the RPC action has already checked against every rule. */
export interface NewVerifyJob {
  readonly firmware: FirmwareRecord;
  readonly deviceNames: readonly string[];
  readonly timeoutInMinutes?: number;
  readonly needPush: boolean;
  readonly needConfirm: boolean;
  readonly downloadProtocol: 'HTTPS' | 'MQTT';
  readonly tags: readonly OtaTag[];
}

export class VerifyJobs {
  private readonly jobs = new Map<string, OtaJob>();
  private readonly tasks = new Map<string, OtaTask>();
  private readonly timers: TaskTimers;
  private messageId: number;
  private unsubscribe: (() => void) | undefined;
  /** Set by close(): late device events and timers then change nothing. */
  private closed = false;
  private readonly minuteMs: number;
  private readonly now: () => number;

  private constructor(
    private readonly options: VerifyJobsOptions,
    private readonly file: JobFile,
    state: JobFileState,
  ) {
    for (const job of state.jobs) this.jobs.set(job.JobId, job);
    for (const task of state.tasks) this.tasks.set(task.TaskId, task);
    this.messageId = state.messageId;
    this.minuteMs = options.minuteMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.timers = new TaskTimers(this.now, (taskId, deadline) => this.expire(taskId, deadline));
  }

  /** Loads the saved jobs, re-arms their timers and pushes what can be pushed now. */
  static async open(options: VerifyJobsOptions): Promise<VerifyJobs> {
    const { file, state } = await JobFile.open(options.dataDir);
    const jobs = new VerifyJobs(options, file, state);
    jobs.unsubscribe = options.devices.onEvent((event) => jobs.onDeviceEvent(event));
    for (const task of [...jobs.tasks.values()].filter((t) => !isFinal(t.TaskStatus))) {
      jobs.arm(task);
      jobs.pushIfOnline(task.TaskId);
    }
    return jobs;
  }

  job(jobId: string): OtaJob | undefined {
    return this.jobs.get(jobId);
  }

  /** Jobs of a package, newest first. */
  jobsOf(firmwareId: string): readonly OtaJob[] {
    return [...this.jobs.values()].filter((j) => j.FirmwareId === firmwareId).reverse();
  }

  /** Tasks of a job, in the order their devices were given. */
  tasksOf(jobId: string): readonly OtaTask[] {
    return [...this.tasks.values()].filter((t) => t.JobId === jobId);
  }

  task(taskId: string): OtaTask | undefined {
    return this.tasks.get(taskId);
  }

  /** The device's unfinished task, if any: there is at most one (CreateOTAVerifyJob's rule). */
  unfinishedTask(ref: DeviceRef): OtaTask | undefined {
    return [...this.tasks.values()].find((t) => belongsTo(t, ref) && !isFinal(t.TaskStatus));
  }

  async create(request: NewVerifyJob): Promise<OtaJob> {
    const { firmware } = request;
    const utc = this.utcNow();
    const job: OtaJob = {
      JobId: this.newId(),
      FirmwareId: firmware.FirmwareId,
      ProductKey: firmware.ProductKey,
      JobType: 'VERFIY_FIRMWARE',
      JobStatus: 'IN_PROGRESS',
      DestVersion: firmware.DestVersion,
      SrcVersions: firmware.SrcVersion ? [firmware.SrcVersion] : [],
      ...(request.timeoutInMinutes === undefined ? {} : { TimeoutInMinutes: request.timeoutInMinutes }),
      NeedPush: request.needPush,
      NeedConfirm: request.needConfirm,
      DownloadProtocol: request.downloadProtocol,
      Tags: request.tags,
      UtcCreate: utc,
      UtcModified: utc,
      UtcStartTime: utc,
    };
    this.jobs.set(job.JobId, job);
    const ctx = this.contextOf(job);
    for (const deviceName of request.deviceNames) {
      const task = this.newTask(job, firmware, deviceName, ctx);
      this.tasks.set(task.TaskId, task);
      this.arm(task);
    }
    this.settle(job.JobId);
    for (const task of this.tasksOf(job.JobId)) this.pushIfOnline(task.TaskId);
    await this.save();
    return this.jobs.get(job.JobId) ?? job;
  }

  /** Cancels the unfinished tasks `which` selects; answers how many were cancelled. */
  async cancel(which: (task: OtaTask) => boolean): Promise<number> {
    const chosen = [...this.tasks.values()].filter((t) => !isFinal(t.TaskStatus) && which(t));
    for (const task of chosen) this.apply(task.TaskId, { kind: 'cancel' });
    await this.save();
    return chosen.length;
  }

  /** Starts FAILED or CANCELED tasks again (the action has checked they are such). */
  async reupgrade(taskIds: readonly string[]): Promise<void> {
    for (const id of taskIds) {
      const task = this.tasks.get(id);
      if (!task) continue;
      const device = this.options.devices.device(deviceOf(task));
      const srcVersion = device?.versions[task.ModuleName] ?? task.SrcVersion;
      this.apply(id, { kind: 'reupgrade', srcVersion });
      this.pushIfOnline(id);
    }
    await this.save();
  }

  /** Moves CONFIRM tasks on (ConfirmOTATask). */
  async confirm(taskIds: readonly string[]): Promise<void> {
    for (const id of taskIds) {
      this.apply(id, { kind: 'confirm' });
      this.pushIfOnline(id);
    }
    await this.save();
  }

  /** Stops timers and listening; waits for the last write. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.timers.clearAll();
    await this.file.flush();
    await this.options.store.flush();
  }

  // ——— events ———

  private onDeviceEvent(event: DeviceEvent): void {
    if (this.closed) return;
    const task = this.unfinishedTask(event.device);
    if (!task) return;
    // Saved only when the task changed: devices report often, and the file holds every job.
    if (this.changedBy(event, task)) this.saveInBackground();
  }

  /** Applies a device event to its unfinished task; whether that changed anything. */
  private changedBy(
    event: DeviceEvent,
    task: { readonly TaskId: string; readonly ModuleName: string },
  ): boolean {
    switch (event.type) {
      case 'online':
        return this.pushIfOnline(task.TaskId);
      case 'progress':
        if (event.module !== undefined && event.module !== task.ModuleName) return false;
        return this.apply(task.TaskId, {
          kind: 'progress',
          step: event.step,
          ...(event.desc ? { desc: event.desc } : {}),
        });
      case 'inform':
        return (
          event.module === task.ModuleName &&
          this.apply(task.TaskId, { kind: 'inform', version: event.version })
        );
      case 'offline':
        return false; // a pushed task keeps its state and its timeout
    }
  }

  /**
   * Pushes a QUEUED task of a NeedPush job to its device when online. The task is NOTIFIED before
   * the push so that a device answering at once (an in-process simulator) finds it so; a push that
   * sent nothing puts it back.
   */
  /** Whether the task was pushed (and is now NOTIFIED). */
  private pushIfOnline(taskId: string): boolean {
    const task = this.tasks.get(taskId);
    const job = task && this.jobs.get(task.JobId);
    if (!task || !job || task.TaskStatus !== 'QUEUED' || !job.NeedPush) return false;
    const { devices, store } = this.options;
    if (!devices.online(deviceOf(task))) return false;
    const firmware = store.findFirmware(task.FirmwareId);
    if (!firmware) return false;
    this.apply(taskId, { kind: 'pushed' });
    this.messageId += 1;
    if (
      devices.pushUpgrade(deviceOf(task), upgradeMessage(firmware, this.messageId, this.options.downloadUrl))
    )
      return true;
    this.tasks.set(taskId, task);
    this.settle(task.JobId);
    return false;
  }

  // ——— the one place a task changes ———

  private apply(taskId: string, input: TaskInput): boolean {
    const task = this.tasks.get(taskId);
    const job = task && this.jobs.get(task.JobId);
    if (!task || !job) return false;
    const next = step(task, input, this.contextOf(job));
    if (!next) return false;
    this.tasks.set(taskId, next);
    this.arm(next);
    this.settle(job.JobId);
    return true;
  }

  /** The job's status and its package's Status/VerifyProgress, from the tasks. */
  private settle(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    const tasks = this.tasksOf(jobId);
    const JobStatus = jobStatusOf(tasks);
    if (JobStatus !== job.JobStatus) {
      const utc = this.utcNow();
      const { UtcEndTime: _ended, ...rest } = job;
      this.jobs.set(jobId, {
        ...rest,
        JobStatus,
        UtcModified: utc,
        ...(JobStatus === 'IN_PROGRESS' ? {} : { UtcEndTime: utc }),
      });
    }
    // Only the package's latest verify job speaks for it.
    if (this.jobsOf(job.FirmwareId)[0]?.JobId !== jobId) return;
    this.options.store
      .setVerifyState(job.FirmwareId, packageStatusOf(tasks), verifyProgressOf(tasks), this.utcNow())
      .catch(() => undefined);
  }

  // ——— timers ———

  private arm(task: OtaTask): void {
    this.timers.set(task.TaskId, isFinal(task.TaskStatus) ? undefined : task.deadline);
  }

  /** A deadline passed; a task whose deadline moved since (its first progress) is re-armed. */
  private expire(taskId: string, deadline: number): void {
    const task = this.tasks.get(taskId);
    if (!task || this.closed) return;
    if (task.deadline !== deadline) return this.arm(task);
    this.apply(taskId, { kind: 'timeout' });
    this.saveInBackground();
  }

  // ——— helpers ———

  private newTask(job: OtaJob, firmware: FirmwareRecord, deviceName: string, ctx: TaskContext): OtaTask {
    const ref = { productKey: job.ProductKey, deviceName };
    const device = this.options.devices.device(ref);
    const utc = this.utcNow();
    return {
      TaskId: this.newId(),
      JobId: job.JobId,
      FirmwareId: job.FirmwareId,
      ProductKey: job.ProductKey,
      ProductName: firmware.ProductName,
      DeviceName: deviceName,
      IotId: device?.iotId ?? '',
      ModuleName: firmware.ModuleName,
      SrcVersion: device?.versions[firmware.ModuleName] ?? '',
      DestVersion: firmware.DestVersion,
      Progress: 0,
      TaskDesc: '',
      UtcCreate: utc,
      UtcModified: utc,
      ...initialState(ctx),
    };
  }

  private contextOf(job: OtaJob): TaskContext {
    return {
      now: this.now(),
      needConfirm: job.NeedConfirm,
      ...(job.TimeoutInMinutes === undefined ? {} : { timeoutMs: job.TimeoutInMinutes * this.minuteMs }),
      ...(job.SrcVersions[0] === undefined ? {} : { packageSrcVersion: job.SrcVersions[0] }),
    };
  }

  private newId(): string {
    return newJobId(this.options.dialect, this.now());
  }

  private utcNow(): string {
    return new Date(this.now()).toISOString();
  }

  private save(): Promise<void> {
    return this.file.save({
      version: 1,
      jobs: [...this.jobs.values()],
      tasks: [...this.tasks.values()],
      messageId: this.messageId,
    });
  }

  /** After a device event or a timer: nobody awaits; a failed write is retried by the next one. */
  private saveInBackground(): void {
    this.save().catch(() => undefined);
  }
}

/** Whether `task` is a task of device `ref`. */
function belongsTo(task: OtaTask, ref: DeviceRef): boolean {
  return sameDevice(deviceOf(task), ref);
}

/** Statuses CancelOTATaskByDevice acts on (the reference). */
export const CANCELLABLE_BY_DEVICE: ReadonlySet<TaskStatus> = new Set(['QUEUED', 'NOTIFIED', 'IN_PROGRESS']);
