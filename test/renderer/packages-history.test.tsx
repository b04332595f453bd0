// @vitest-environment jsdom
/**
 * Issue 17: the Packages view (list, module filter, details with files, signs and jobs, delete with
 * a confirmation, refused with the reason for a package with an unfinished job, the 500 meter) and
 * the History view with Export CSV, in both languages.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PackageList } from '../../electron/core/contract.js';
import { fakeBridge, PACKAGES } from './fake-bridge.js';
import { renderApp } from './render-app.js';

const recent = { recentProducts: { sandbox: ['a1SandboxPK'] }, lastProfile: 'sandbox' };

async function openPackages(
  locale: 'en' | 'zh' = 'en',
  bridge = fakeBridge({ settings: { ...recent, locale } }),
) {
  await renderApp(bridge);
  fireEvent.click(screen.getByRole('button', { name: locale === 'en' ? 'Packages' : '升级包' }));
  await screen.findByRole('table');
  return bridge;
}

const rowOf = (name: string) => document.querySelector<HTMLElement>(`[data-package="${name}"]`)!;

describe('Packages view', () => {
  it('lists the last product’s packages with status and the count against 500, and filters by module', async () => {
    const bridge = await openPackages();
    expect(bridge.callsOf('packages.list')[0]?.args).toEqual(['sandbox', 'a1SandboxPK', null]);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(
      PACKAGES.map((p) => p.firmwareName),
    );
    expect(within(rowOf('app-1_1_0')).getByText('verifying')).toBeTruthy();
    const meter = screen.getByTestId('package-meter');
    expect(meter.textContent).toContain('423 of 500 packages');
    expect(meter.className).not.toContain('package-meter-warn');

    const module = screen.getByRole('combobox', { name: 'Module' });
    await waitFor(() => expect(module.querySelectorAll('option')).toHaveLength(3));
    fireEvent.change(module, { target: { value: 'app' } });
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(3));
    expect(bridge.callsOf('packages.list').at(-1)?.args).toEqual(['sandbox', 'a1SandboxPK', 'app']);
  });

  it('colours the meter as a warning from 450 packages', async () => {
    const full: PackageList = { rows: PACKAGES, count: 451, limit: 500, warnFrom: 450 };
    const bridge = fakeBridge({ settings: recent, overrides: { packages: { list: () => full } } });
    await openPackages('en', bridge);
    const meter = screen.getByTestId('package-meter');
    expect(meter.className).toContain('package-meter-warn');
    expect(meter.textContent).toContain('451 of 500 packages');
  });

  it('shows one package’s files, signs and jobs', async () => {
    await openPackages();
    fireEvent.click(within(rowOf('app-1_1_0')).getByRole('button', { name: 'Details' }));
    const detail = await screen.findByRole('region', { name: 'Package app-1_1_0' });
    expect(within(detail).getByText('app-1_1_0.bin')).toBeTruthy();
    expect(detail.querySelector('.digest')?.textContent).toMatch(/^[0-9a-f]{32}$/);
    const job = detail.querySelector('[data-package-job="job-verify-9"]')!;
    expect(job.textContent).toContain('IN_PROGRESS');
    expect(job.textContent).toContain('unfinished');
  });

  it('deletes only after the confirmation, and Keep sends nothing', async () => {
    const bridge = await openPackages();
    fireEvent.click(within(rowOf('x-1_0_0')).getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('alertdialog', {
      name: 'Delete package x-1_0_0 (1.0.0) from the cloud?',
    });
    expect(document.activeElement?.textContent).toBe('Keep it');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(bridge.callsOf('packages.remove')).toHaveLength(0);

    fireEvent.click(within(rowOf('x-1_0_0')).getByRole('button', { name: 'Delete' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete package' }));
    expect(await screen.findByText('Deleted x-1_0_0.')).toBeTruthy();
    expect(bridge.callsOf('packages.remove')[0]?.args).toEqual(['sandbox', 'fw-old']);
    await waitFor(() => expect(rowOf('x-1_0_0')).toBeNull());
  });

  it('says why a package with an unfinished job was not deleted, in Chinese too', async () => {
    await openPackages('zh');
    fireEvent.click(within(rowOf('app-1_1_0')).getByRole('button', { name: '删除' }));
    fireEvent.click(screen.getByRole('button', { name: '删除升级包' }));
    const refused = await screen.findByRole('alert');
    expect(refused.textContent).toBe('未删除：该升级包有未结束的 OTA 任务（job-verify-9）。');
    expect(rowOf('app-1_1_0')).not.toBeNull();
    expect(screen.getByTestId('package-meter').textContent).toContain('已用 423 / 500 个升级包');
  });
});

describe('History view', () => {
  it('lists the records newest first and exports CSV through the save dialog', async () => {
    const bridge = fakeBridge({ settings: recent });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: 'History' }));
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-history'))).toEqual(['j2:publish', 'j1:verify']);
    expect(rows[0]!.textContent).toContain('Published');
    expect(rows[0]!.textContent).toContain('app-1_2_0');
    expect(rows[1]!.textContent).toMatch(/Verification: failed/i);
    expect(rows[1]!.textContent).toContain('iot.cn-shanghai.aliyuncs.com');

    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByText('Saved /home/user/ota-publisher-history.csv.')).toBeTruthy();
    expect(bridge.callsOf('history.exportCsv')).toHaveLength(1);
  });

  it('says nothing was published yet, and how many damaged lines were skipped', async () => {
    const bridge = fakeBridge({
      settings: { locale: 'zh' },
      overrides: { history: { list: () => ({ records: [], skipped: 2 }), exportCsv: () => null } },
    });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: '发布记录' }));
    expect(await screen.findByText('尚未发布任何内容。')).toBeTruthy();
    expect(screen.getByText('已跳过 history.jsonl 中 2 行损坏的记录。')).toBeTruthy();
    expect(screen.getByRole('button', { name: '导出 CSV' })).toHaveProperty('disabled', true);
  });
});
