/** Accounts: sign-up and log-in over the Store, with no HTTP in sight (pages and API both call this). */
import bcrypt from 'bcrypt';
import type { Store, User } from '../store/index.js';
import { UsernameTakenError } from '../store/index.js';
import { logInInput, MAX_PASSWORD_BYTES, signUpInput } from './accounts-input.js';
import { ConflictError, InvalidCredentialsError, ValidationError } from './errors.js';

export interface AccountsDeps {
  store: Store;
  bcryptCost: number;
  now?: () => number;
}

export interface Accounts {
  /** Validates (ValidationError), creates the account (ConflictError when the name is taken in any case), returns it. */
  signUp(input: unknown): Promise<User>;
  /** The user, or InvalidCredentialsError for an unknown name and a wrong password alike; ValidationError for empty fields. */
  logIn(input: unknown): Promise<User>;
}

/** Longest name the store looks up; anything longer cannot be an account. */
const MAX_LOOKUP_LENGTH = 256;

export function createAccounts({ store, bcryptCost, now = Date.now }: AccountsDeps): Accounts {
  // A hash to compare against when the user does not exist, so both failures take about as long; made once, up front.
  const dummyHash = bcrypt.hash('not a real password, only for timing', bcryptCost);

  const taken = () => new ConflictError('That username is taken.', [{ field: 'username', message: 'That username is taken.' }]);

  return {
    async signUp(input) {
      const parsed = signUpInput.safeParse(input);
      if (!parsed.success) throw ValidationError.fromZod(parsed.error);
      const { username, email, password } = parsed.data;
      // Fast answer without bcrypt work for the common case; createUser still decides under a race.
      if (await store.findUserByUsername(username)) throw taken();
      const passwordHash = await bcrypt.hash(password, bcryptCost);
      try {
        return await store.createUser({ username, email, passwordHash, now: now() });
      } catch (err) {
        if (err instanceof UsernameTakenError) throw taken();
        throw err;
      }
    },

    async logIn(input) {
      const parsed = logInInput.safeParse(input);
      if (!parsed.success) throw ValidationError.fromZod(parsed.error);
      const { username, password } = parsed.data;
      const usable = username.length <= MAX_LOOKUP_LENGTH && Buffer.byteLength(password, 'utf8') <= MAX_PASSWORD_BYTES;
      const user = usable ? await store.findUserByUsername(username) : null;
      const hash = user ? await store.getPasswordHash(user.id) : null;
      const matches = await bcrypt.compare(password, hash ?? (await dummyHash));
      if (!user || !hash || !matches || !usable) throw new InvalidCredentialsError();
      return user;
    },
  };
}
