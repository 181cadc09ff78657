import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Linkified } from '@/app/components/Linkified';

const html = (text: string) => renderToStaticMarkup(createElement(Linkified, { text }));

describe('chat text is text, with safe links', () => {
  it('never renders HTML from a message', () => {
    expect(html('<img src=x onerror=alert(1)> <b>hi</b>')).toBe('&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;hi&lt;/b&gt;');
  });

  it('links http(s) URLs only, opened without referrer or opener, trailing punctuation left out', () => {
    expect(html('see https://example.org/a?b=1, ok')).toBe(
      'see <a href="https://example.org/a?b=1" target="_blank" rel="noopener noreferrer nofollow">https://example.org/a?b=1</a>, ok',
    );
    expect(html('javascript:alert(1) data:text/html,x')).not.toContain('<a');
    expect(html('"https://x.example/"onmouseover="y')).not.toContain('onmouseover="y"');
  });
});
