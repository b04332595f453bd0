import type { ReactNode } from 'react';
import type { Text } from '../../../electron/core/i18n/text.js';
import { useT } from '../i18n/use-t.js';

/** Attributes that tie a control to its label, hint and error. */
export interface ControlProps {
  readonly id: string;
  readonly 'aria-invalid': boolean;
  readonly 'aria-describedby': string | undefined;
}

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: ReactNode;
  readonly error?: Text;
  /** e.g. "12 / 100 characters"; shown right of the label. */
  readonly counter?: string;
  readonly counterOver?: boolean;
  /** Label and control on one row (compact cards). */
  readonly inline?: boolean;
  readonly children: (control: ControlProps) => ReactNode;
}

/** A labelled control with its hint, live counter and inline error (in the current language). */
export function Field({ id, label, hint, error, counter, counterOver, inline, children }: FieldProps) {
  const { pick } = useT();
  const described = [hint ? `${id}-hint` : '', counter ? `${id}-counter` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={['field', inline ? 'field-inline' : '', error ? 'field-invalid' : '']
        .filter(Boolean)
        .join(' ')}
    >
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
        {counter && (
          <span
            id={`${id}-counter`}
            className={counterOver ? 'counter counter-over' : 'counter'}
            aria-live="polite"
          >
            {counter}
          </span>
        )}
      </div>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': described || undefined })}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="error" data-field-error={id}>
          {pick(error)}
        </p>
      )}
    </div>
  );
}
