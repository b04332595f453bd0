/**
 * The one place main-process events reach the stores. Components never subscribe themselves, so
 * each event is handled once and unsubscribing on shutdown is a single call.
 */
import type { PreloadApi } from '../../../electron/core/contract.js';
import { useAppStore } from '../stores/app-store.js';
import { jobEventCoalescer } from '../stores/job-events.js';
import { useOutboxStore } from '../stores/outbox-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { preload } from './client.js';

/** Subscribes every store to its events; returns the function that unsubscribes them all. */
export function wireEvents(bridge: PreloadApi = preload()): () => void {
  // A job's events reach the store at most ten times a second (one render each).
  const jobs = jobEventCoalescer((jobId, batch) => useOutboxStore.getState().applyBatch(jobId, batch));
  const off = [
    bridge.on('hash-progress', (e) => useWizardStore.getState().onHashProgress(e.hashId, e.bytes, e.total)),
    bridge.on('job-progress', (e) => jobs.progress(e)),
    bridge.on('job-changed', (job) => jobs.changed(job)),
    bridge.on('network-status', (s) => useAppStore.getState().setOnline(s.online)),
    bridge.on('cloud-status', (s) => useOutboxStore.getState().setCloud(s)),
    bridge.on('open', (request) => {
      useAppStore.getState().setView('publish');
      void useWizardStore.getState().open(request);
    }),
  ];
  return () => {
    off.forEach((unsubscribe) => unsubscribe());
    jobs.stop();
  };
}
