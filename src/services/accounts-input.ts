/** The rules for account fields, as zod schemas; the messages are shown next to the field as they are. */
import { z } from 'zod';

const MIN_PASSWORD_BYTES = 8;
/** bcrypt reads only 72 bytes; longer passwords are refused rather than silently cut. */
export const MAX_PASSWORD_BYTES = 72;

/** A string field; `missing` is the message when it is absent. */
const text = (missing: string) =>
  z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? missing : 'Must be text.') });

const username = text('Enter a username.')
  .trim()
  .min(3, 'Use at least 3 characters.')
  .max(32, 'Use at most 32 characters.')
  .regex(/^[A-Za-z0-9_.-]+$/, 'Use only letters, digits and _ . -');

const email = text('Enter an email address.')
  .trim()
  .max(254, 'Use at most 254 characters.')
  .pipe(z.email('Enter a valid email address.'));

const password = text('Enter a password.').superRefine((value, ctx) => {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes < MIN_PASSWORD_BYTES) ctx.addIssue({ code: 'custom', message: `Use at least ${MIN_PASSWORD_BYTES} characters.` });
  if (bytes > MAX_PASSWORD_BYTES) ctx.addIssue({ code: 'custom', message: `Use at most ${MAX_PASSWORD_BYTES} bytes (fewer when it has accents or emoji).` });
});

export const signUpInput = z.object({ username, email, password });
export type SignUpInput = z.infer<typeof signUpInput>;

// Log-in checks presence only: a name or password that breaks the sign-up rules is just a failed log-in.
export const logInInput = z.object({
  username: text('Enter your username.').trim().min(1, 'Enter your username.'),
  password: text('Enter your password.').min(1, 'Enter your password.'),
});
export type LogInInput = z.infer<typeof logInInput>;
