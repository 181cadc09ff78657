/**
 * Chat text as text: React escapes it, so no HTML in a message ever renders. Only http(s) links
 * become anchors, opened in a new tab with no referrer and no access to this page (noopener).
 */
const LINK = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}]/gi;

export function Linkified({ text }: { text: string }) {
  const parts: (string | { href: string })[] = [];
  let at = 0;
  for (const match of text.matchAll(LINK)) {
    let href: string;
    try {
      href = new URL(match[0]).href; // normalised; anything URL() refuses stays plain text
    } catch {
      continue;
    }
    parts.push(text.slice(at, match.index), { href });
    at = match.index + match[0].length;
  }
  parts.push(text.slice(at));
  return (
    <>
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          p
        ) : (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer nofollow">
            {p.href}
          </a>
        ),
      )}
    </>
  );
}
