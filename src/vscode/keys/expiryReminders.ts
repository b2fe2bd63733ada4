/**
 * Expiry reminders: a notification N days (setting nugetPublisher.keys.expiryReminderDays) before a
 * key expires, and when it has expired; at most once a day per key, checked at start-up and daily.
 */
import * as vscode from 'vscode';
import { daysUntilExpiry } from '../../core/keys/keys';
import { expiryText } from '../../core/keys/keysPanel';
import { notify } from '../log';
import type { Services } from '../services';
import { stateWriter } from '../stateWriter';
import { readSettings } from '../config';

const STATE_KEY = 'nugetPublisher.keyReminders';
const DAY_MS = 86_400_000;

/** Shows the reminders due now; returns the keys reminded of (for tests). */
export async function remindExpiringKeys(services: Services, now: Date = new Date()): Promise<string[]> {
  const days = readSettings().keys.expiryReminderDays;
  const last = services.context.globalState.get<Record<string, number>>(STATE_KEY, {});
  const reminded: string[] = [];
  for (const record of services.keys.list()) {
    const left = daysUntilExpiry(record, now);
    const id = `${record.origin} ${record.label}`;
    if (left === undefined || left > days || now.getTime() - (last[id] ?? 0) < DAY_MS) {
      continue;
    }
    last[id] = now.getTime();
    reminded.push(record.label);
    const page = record.origin === 'https://api.nuget.org' ? 'https://www.nuget.org/account/apikeys' : undefined;
    void notify(services.log, left < 0 ? 'error' : 'warning', `The key "${record.label}" for ${record.feedName} ${expiryText(left)}. Create a new one${page ? ' on nuget.org' : ''} and use Replace Key to rotate it.`, 'Replace Key…', ...(page ? ['Open API Keys Page'] : [])).then((choice) => {
      if (choice === 'Replace Key…') {
        void vscode.commands.executeCommand('nugetPublisher.replaceKey', { origin: record.origin, label: record.label });
      } else if (choice === 'Open API Keys Page' && page) {
        void vscode.env.openExternal(vscode.Uri.parse(page));
      }
    });
  }
  await stateWriter(services.context.globalState).write<Record<string, number>>(STATE_KEY, (stored) => ({ ...stored, ...last }));
  return reminded;
}

export function scheduleExpiryReminders(services: Services): vscode.Disposable {
  const run = (): void => void remindExpiringKeys(services).catch((error: unknown) => services.log.warn('keys', `expiry reminders: ${String(error)}`));
  const first = setTimeout(run, 5_000);
  const daily = setInterval(run, 6 * 60 * 60_000);
  return new vscode.Disposable(() => {
    clearTimeout(first);
    clearInterval(daily);
  });
}
