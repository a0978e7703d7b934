// Who "me" is for the `mine` filter. Owners in OWNERSHIP.yml are free-form (`@alice`,
// `alice@example.com`, `Alice Smith`, `@org/team`), so a feature is mine when one of its owners
// equals, ignoring case and a leading `@`, the git user.name, user.email, the email's local part,
// or a handle listed in the `ownership.me` setting (how teams are claimed). No vscode import.

interface Identity {
  name?: string;
  email?: string;
  /** Extra handles from the `ownership.me` setting. */
  extra: string[];
}

const norm = (s: string): string => s.trim().replace(/^@/, '').toLowerCase();

/** The normalised handles that stand for this user. */
export function identityHandles(id: Identity): Set<string> {
  const out = new Set<string>();
  const add = (s: string | undefined) => {
    if (s && s.trim()) out.add(norm(s));
  };
  add(id.name);
  add(id.name?.replace(/\s+/g, ''));
  add(id.email);
  add(id.email?.split('@')[0]);
  id.extra.forEach(add);
  return out;
}

/** True when one of `owners` is this user. */
export function isMine(owners: readonly string[], handles: ReadonlySet<string>): boolean {
  return owners.some((o) => handles.has(norm(o)));
}
