import { describe, expect, it } from 'vitest';
import { lineChart, niceAxis } from '@/bench/lib/svgChart';

describe('SVG line chart', () => {
  it('picks 1/2/5 steps that cover the data', () => {
    expect(niceAxis(0, 1180)).toMatchObject({ min: 0, max: 1200, step: 200 });
    expect(niceAxis(3.2, 9.7)).toMatchObject({ min: 2, max: 10, step: 2 });
    expect(niceAxis(5, 5).max).toBeGreaterThan(5); // a single value still gets an axis
  });

  it('draws every series, a legend entry for each, and escapes text', () => {
    const svg = lineChart({
      title: 'A <b> & "c"',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        { name: 'one', points: [[0, 1], [1, 2]] },
        { name: 'two', points: [[0, 2], [1, 3]], step: true },
      ],
      refLines: [{ axis: 'y', value: 2.5, label: 'goal' }],
    });
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('>one<');
    expect(svg).toContain('>two<');
    expect(svg).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).toContain('stroke-dasharray');
  });
});
