import { describe, expect, it } from 'vitest';
import { renderDeviceFiles, RenderError, type DialPlanInput } from '#src/modules/render/device/index.js';
import { allowedRegions, barredRegions, digitClass, regionPattern } from '#src/modules/render/device/dial-plans.js';
import { goldenInput } from './fixtures.js';

const plan = (
  allowNational: boolean,
  allowInternational: boolean,
  extra: Partial<DialPlanInput> = {},
): DialPlanInput => ({
  name: 'cos',
  allowNational,
  allowInternational,
  ...extra,
});

const patterns = (regions: ReturnType<typeof barredRegions>) => regions.map(regionPattern);

describe('class of service → digit regions (longest prefix wins)', () => {
  it('bars international only', () => {
    expect(patterns(barredRegions(plan(true, false)))).toEqual(['00']);
    expect(patterns(allowedRegions(plan(true, false)))).toEqual(['[1-9]', '0[1-9]']);
  });

  it('bars national and international (internal calls only)', () => {
    expect(patterns(barredRegions(plan(false, false)))).toEqual(['0']);
    expect(patterns(allowedRegions(plan(false, false)))).toEqual(['[1-9]']);
  });

  it('bars national but keeps international reachable', () => {
    expect(patterns(barredRegions(plan(false, true)))).toEqual(['0[1-9]']);
  });

  it('handles prefixes that do not nest (North American 1 / 011)', () => {
    const nanp = plan(true, false, { nationalPrefix: '1', internationalPrefix: '011' });
    expect(patterns(barredRegions(nanp))).toEqual(['011']);
    expect(patterns(allowedRegions(nanp))).toEqual(['[1-9]', '0[02-9]', '01[02-9]']);
  });

  it('allows everything when nothing is barred', () => {
    expect(barredRegions(plan(true, true))).toEqual([]);
    expect(patterns(allowedRegions(plan(true, true)))).toEqual(['']);
  });

  it('writes compact digit classes', () => {
    expect(digitClass('123456789')).toBe('[1-9]');
    expect(digitClass('02345679')).toBe('[02-79]');
    expect(digitClass('13')).toBe('[13]');
  });

  it('refuses prefixes that are not digits', () => {
    expect(() => barredRegions(plan(true, false, { internationalPrefix: '+' }))).toThrow(RenderError);
  });
});

describe('dial plans in vendor files', () => {
  const render = (vendor: Parameters<typeof goldenInput>[0], dialPlan: DialPlanInput) => {
    const input = goldenInput(vendor);
    input.settings.dialPlan = dialPlan;
    return renderDeviceFiles(input);
  };
  const body = (result: ReturnType<typeof renderDeviceFiles>, index = 0) => result.files[index]!.body.toString('utf8');

  it('Yealink uses block-out rules (digit map off) and clears unused slots', () => {
    const text = body(render('yealink', plan(false, false)));
    expect(text).toContain('dialplan.digitmap.enable = 0\n');
    expect(text).toContain('dialplan.block_out.number.1 = 0.\n');
    expect(text).toContain('dialplan.block_out.line_id.1 = 0\n');
    expect(text).toContain('dialplan.block_out.number.2 = %NULL%\n');
  });

  it('Cisco MPP bars with "!", Grandstream with "^", Poly with an allow-list and reorder tone', () => {
    expect(body(render('cisco-mpp', plan(true, false)))).toContain(
      '<Dial_Plan_1_ ua="na">(00x.!|*xx.|xx.)</Dial_Plan_1_>',
    );
    expect(body(render('grandstream', plan(true, false)))).toContain(
      '<P290>{ ^00x+ | x+ | \\+x+ | *x+ | *xx*x+ }</P290>',
    );
    const poly = body(render('poly', plan(false, false)), 1);
    expect(poly).toContain('dialplan.digitmap="[1-9]x.T|*x.T"');
    expect(poly).toContain('dialplan.impossibleMatchHandling="1"');
  });

  it('a vendor pattern replaces the derived plan', () => {
    const custom = plan(true, false, { vendorPatterns: { 'cisco-mpp': '(xxxx|9xx.)' } });
    expect(body(render('cisco-mpp', custom))).toContain('<Dial_Plan_1_ ua="na">(xxxx|9xx.)</Dial_Plan_1_>');
  });

  it('vendors without a restriction say so in a warning', () => {
    for (const vendor of ['snom', 'fanvil', 'gigaset', 'cisco-enterprise'] as const) {
      expect(render(vendor, plan(true, false)).warnings.join('\n')).toMatch(
        /class of service "cos" cannot be enforced/,
      );
      expect(render(vendor, plan(true, true)).warnings.join('\n')).not.toMatch(/class of service/);
    }
  });
});
