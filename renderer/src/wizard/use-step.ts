import type { Text } from '../../../electron/core/i18n/text.js';
import { useProfilesStore } from '../stores/profiles-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { remoteIssues } from './form-reducer.js';
import { stepIssues } from './rules.js';
import type { StepId } from './wizard-types.js';

/** The dialect of the wizard's profile, reactively. */
export function useDialect(): 'aliyun' | 'tuya' {
  const profile = useWizardStore((s) => s.form.profile);
  return useProfilesStore((s) => s.profiles.find((p) => p.name === profile)?.dialect ?? 'aliyun');
}

/**
 * The step's problems, and which to show: a field's error appears once it was left (blur) or
 * "Next" was pressed; `always` shows them at once (file checks).
 */
export function useStepIssues(step: StepId, always = false): (field: string) => Text | undefined {
  const form = useWizardStore((s) => s.form);
  const attempted = useWizardStore((s) => s.attempted[step] === true);
  const touched = useWizardStore((s) => s.touched);
  const remote = useWizardStore((s) => s.remote);
  const cloudIssue = useWizardStore((s) => s.cloudIssue);
  const nameCheck = useWizardStore((s) => s.nameCheck);
  const dialect = useDialect();
  const found = remoteIssues({ form, remote, cloudIssue, nameCheck });
  const issues = stepIssues(step, form, dialect, found);
  // What the service or the cloud found shows at once: the user could not have seen it coming.
  return (field) => (always || attempted || touched[field] || found[field] ? issues[field] : undefined);
}

/** DOM id of a field's control. */
export function fieldId(field: string): string {
  return `field-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
