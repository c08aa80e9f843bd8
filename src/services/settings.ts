/**
 * A user's settings: the "familiar ↔ discover" step their recommendations are shown with. Saving one reruns nothing:
 * the quick 12 and the full 48 are re-ranked from their stored candidates on the next read. No HTTP here.
 */
import { z } from 'zod';
import { UserNotFoundError, type Store } from '../store/index.js';
import { discoveryStepInput, discoveryStepOf, type DiscoveryStep } from './discovery.js';
import { NotFoundError, ValidationError } from './errors.js';

export interface SettingsView {
  discoveryStep: DiscoveryStep;
}

export interface Settings {
  /** The user's settings (defaults for what they never chose); NotFoundError for an unknown user. */
  get(userId: string): Promise<SettingsView>;
  /** Validates `{discoveryStep}` (ValidationError naming the field, nothing stored), saves it; NotFoundError for an unknown user. */
  save(userId: string, input: unknown): Promise<SettingsView>;
}

const settingsBody = z.object({ discoveryStep: discoveryStepInput }, { error: 'Send an object with discoveryStep.' });

/** The body of a settings change, or ValidationError naming each bad field. */
export function parseSettings(input: unknown): SettingsView {
  const parsed = settingsBody.safeParse(input);
  if (!parsed.success) {
    const error = ValidationError.fromZod(parsed.error);
    // Say which field is wrong in the message too: a page shows only the message.
    throw new ValidationError(error.issues ?? [], (error.issues ?? []).map((i) => `${i.field}: ${i.message}`).join(' '));
  }
  return parsed.data;
}

export function createSettings({ store }: { store: Store }): Settings {
  return {
    async get(userId) {
      const stored = await store.getUserSettings(userId);
      if (!stored) throw new NotFoundError('There is no such user.');
      return { discoveryStep: discoveryStepOf(stored.discoveryStep) };
    },

    async save(userId, input) {
      const { discoveryStep } = parseSettings(input);
      await store.saveUserSettings(userId, { discoveryStep }).catch((err: unknown) => {
        throw err instanceof UserNotFoundError ? new NotFoundError('There is no such user.') : err;
      });
      return { discoveryStep };
    },
  };
}
