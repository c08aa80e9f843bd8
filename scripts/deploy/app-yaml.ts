/**
 * The repository's app.yaml is a template: project-specific values are "{{NAME}}" placeholders, filled into the
 * staged copy that gcloud deploys. The session secret is filled in only for the deploy itself and shown masked.
 */

/** What a dry run shows instead of the session secret. */
export const SECRET_SHOWN_AS = '<generated, stored in Secret Manager>';

export type AppYamlValues = Readonly<Record<string, string>>;

export class AppYamlError extends Error {
  override name = 'AppYamlError';
}

const PLACEHOLDER = /"\{\{([A-Z0-9_]+)\}\}"/g;

/** The names the template asks for (comment lines aside). */
export function placeholdersOf(template: string): string[] {
  return [...new Set(codeLines(template).flatMap((line) => [...line.matchAll(PLACEHOLDER)].map((m) => m[1])))];
}

/** Fills every "{{NAME}}" (quotes included) with the value as a YAML double-quoted string; all must be known. */
export function renderAppYaml(template: string, values: AppYamlValues): string {
  const unknown = placeholdersOf(template).filter((name) => values[name] === undefined);
  if (unknown.length > 0) throw new AppYamlError(`app.yaml: no value for ${unknown.map((n) => `{{${n}}}`).join(', ')}`);
  return template
    .split('\n')
    .map((line) => {
      if (isComment(line)) return line;
      const filled = line.replace(PLACEHOLDER, (_, name: string) => JSON.stringify(values[name]));
      const left = /\{\{[^}]*\}\}/.exec(filled);
      if (left) throw new AppYamlError(`app.yaml: ${left[0]} is not a placeholder the deploy script fills (write it as "{{NAME}}", quoted)`);
      return filled;
    })
    .join('\n');
}

function isComment(line: string): boolean {
  return line.trimStart().startsWith('#');
}

function codeLines(text: string): string[] {
  return text.split('\n').filter((line) => !isComment(line));
}

/** The env_variables of a rendered app.yaml (flat `KEY: "value"` or `KEY: value` lines), for checks and tests. */
export function envVariablesOf(yaml: string): Record<string, string> {
  const env: Record<string, string> = {};
  let inside = false;
  for (const line of yaml.split('\n')) {
    if (/^env_variables:\s*$/.test(line)) {
      inside = true;
      continue;
    }
    if (inside && /^\S/.test(line)) inside = false;
    if (!inside) continue;
    const match = /^\s+([A-Z0-9_]+):\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const raw = match[2];
    env[match[1]] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
  }
  return env;
}
