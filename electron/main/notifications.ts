import { Notification } from 'electron';
import type { JobNotification } from '../core/app/job-notifier.js';

/** Shows a job's outcome as an OS notification; clicking it brings the window forward. */
export function showJobNotification(notification: JobNotification, focus: () => void): void {
  if (!Notification.isSupported()) return;
  const shown = new Notification({ title: notification.title, body: notification.body });
  shown.on('click', focus);
  shown.show();
}
