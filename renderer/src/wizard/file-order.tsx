import { useT } from '../i18n/use-t.js';

interface FileOrderButtonsProps {
  readonly name: string;
  readonly index: number;
  readonly count: number;
  readonly move: (offset: number) => void;
}

/** Up / down buttons of a file card (with the mouse or the keyboard; Alt+↑/↓ on the card too). */
export function FileOrderButtons({ name, index, count, move }: FileOrderButtonsProps) {
  const { t } = useT();
  return (
    <span className="file-order">
      <button
        type="button"
        className="button-small button-icon"
        aria-label={t('files.moveUp', { name })}
        title={t('files.moveUp', { name })}
        disabled={index === 1}
        onClick={() => move(-1)}
      >
        ↑
      </button>
      <button
        type="button"
        className="button-small button-icon"
        aria-label={t('files.moveDown', { name })}
        title={t('files.moveDown', { name })}
        disabled={index === count}
        onClick={() => move(1)}
      >
        ↓
      </button>
    </span>
  );
}
