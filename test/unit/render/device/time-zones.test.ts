import { describe, expect, it } from 'vitest';
import { RenderError } from '#src/modules/render/device/index.js';
import { ciscoEnterpriseZoneName } from '#src/modules/vendors/cisco-enterprise/cisco-enterprise.locale.js';
import { ciscoMppTimeSettings } from '#src/modules/vendors/cisco-mpp/cisco-mpp.locale.js';
import { fanvilTime } from '#src/modules/vendors/fanvil/fanvil.locale.js';
import { gigasetZone } from '#src/modules/vendors/gigaset/gigaset.locale.js';
import { grandstreamPosixZone } from '#src/modules/vendors/grandstream/grandstream.locale.js';
import { polyTimeSettings } from '#src/modules/vendors/poly/poly.locale.js';
import { snomTimeSettings } from '#src/modules/vendors/snom/snom.locale.js';
import { yealinkTimeSettings } from '#src/modules/vendors/yealink/yealink.locale.js';
import { zoneFacts } from '#src/modules/render/device/time-zones.js';

const asMap = (settings: Array<{ key: string; value: string }>) =>
  Object.fromEntries(settings.map((s) => [s.key, s.value]));

describe('zone facts from the reference year', () => {
  it('derives the EU rule: +1, last Sunday of March 02:00 to last Sunday of October 03:00', () => {
    expect(zoneFacts('Europe/Berlin')).toEqual({
      zone: 'Europe/Berlin',
      standardOffsetMinutes: 60,
      dst: {
        savingMinutes: 60,
        start: { month: 3, week: 5, weekday: 0, minuteOfDay: 120 },
        end: { month: 10, week: 5, weekday: 0, minuteOfDay: 180 },
      },
      irregular: false,
    });
  });

  it('derives the US rule: second Sunday of March to first Sunday of November', () => {
    const { standardOffsetMinutes, dst } = zoneFacts('America/New_York');
    expect(standardOffsetMinutes).toBe(-300);
    expect(dst?.start).toEqual({ month: 3, week: 2, weekday: 0, minuteOfDay: 120 });
    expect(dst?.end).toEqual({ month: 11, week: 1, weekday: 0, minuteOfDay: 120 });
  });

  it('handles southern-hemisphere DST and fractional offsets without DST', () => {
    expect(zoneFacts('Australia/Sydney').dst?.start.month).toBe(10);
    expect(zoneFacts('Australia/Sydney').dst?.end.month).toBe(4);
    expect(zoneFacts('Asia/Kolkata')).toEqual({ zone: 'Asia/Kolkata', standardOffsetMinutes: 330, irregular: false });
    expect(zoneFacts('Asia/Kathmandu').standardOffsetMinutes).toBe(345);
  });

  it('refuses an unknown zone', () => {
    expect(() => zoneFacts('Mars/Olympus_Mons')).toThrow(RenderError);
  });
});

describe('vendor time-zone formats', () => {
  const berlin = zoneFacts('Europe/Berlin');

  it('Yealink: offset and week rule with Monday = 1', () => {
    expect(asMap(yealinkTimeSettings(berlin))).toEqual({
      'local_time.time_zone': '+1',
      'local_time.summer_time': '1',
      'local_time.dst_time_type': '1',
      'local_time.start_time': '3/5/7/2',
      'local_time.end_time': '10/5/7/3',
      'local_time.offset_time': '60',
    });
    expect(asMap(yealinkTimeSettings(zoneFacts('Asia/Kolkata')))).toEqual({
      'local_time.time_zone': '+5:30',
      'local_time.summer_time': '0',
    });
    expect(asMap(yealinkTimeSettings(zoneFacts('America/St_Johns')))['local_time.time_zone']).toBe('-3:30');
  });

  it('Poly: gmtOffset in seconds, Sunday = 1, last-in-month flag', () => {
    const poly = asMap(polyTimeSettings(zoneFacts('America/New_York')));
    expect(poly['tcpIpApp.sntp.gmtOffset']).toBe('-18000');
    expect(poly['tcpIpApp.sntp.daylightSavings.start.date']).toBe('8');
    expect(poly['tcpIpApp.sntp.daylightSavings.start.dayOfWeek']).toBe('1');
    expect(poly['tcpIpApp.sntp.daylightSavings.stop.date']).toBe('1');
    expect(asMap(polyTimeSettings(berlin))['tcpIpApp.sntp.daylightSavings.start.dayOfWeek.lastInMonth']).toBe('1');
  });

  it('Cisco MPP: GMT+hh:mm and start/end/save rule', () => {
    expect(asMap(ciscoMppTimeSettings(berlin))).toMatchObject({
      Time_Zone: 'GMT+01:00',
      Daylight_Saving_Time_Rule: 'start=3/-1/7/2:0:0;end=10/-1/7/3:0:0;save=1:0:0',
    });
    expect(asMap(ciscoMppTimeSettings(zoneFacts('America/New_York')))['Daylight_Saving_Time_Rule']).toBe(
      'start=3/8/7/2:0:0;end=11/1/7/2:0:0;save=1:0:0',
    );
  });

  it('Grandstream: POSIX TZ string with west-positive offsets', () => {
    expect(grandstreamPosixZone(berlin)).toBe('STD-1DST-2,M3.5.0/02:00:00,M10.5.0/03:00:00');
    expect(grandstreamPosixZone(zoneFacts('America/New_York'))).toBe('STD+5DST+4,M3.2.0/02:00:00,M11.1.0/02:00:00');
    expect(grandstreamPosixZone(zoneFacts('Asia/Kolkata'))).toBe('STD-5:30');
  });

  it('Snom: utc_offset seconds and dst rule', () => {
    expect(asMap(snomTimeSettings(berlin))).toEqual({
      timezone: '',
      utc_offset: '+3600',
      dst: '3600 03.05.07 02:00:00 10.05.07 03:00:00',
    });
  });

  it('Fanvil: quarter hours, UTC name, week -1 for last', () => {
    const fanvil = fanvilTime(berlin);
    expect(fanvil).toMatchObject({ timeZone: '4', timeZoneName: 'UTC+1' });
    expect(fanvil.dst?.start).toEqual({ month: '3', week: '-1', weekday: '1', hour: '2', minute: '0' });
    expect(fanvilTime(zoneFacts('America/New_York')).timeZoneName).toBe('UTC-05');
  });

  it('Cisco enterprise and Gigaset zone names', () => {
    expect(ciscoEnterpriseZoneName('Europe/Paris')).toBe('Romance Standard/Daylight Time');
    expect(ciscoEnterpriseZoneName('Antarctica/Troll')).toBeUndefined();
    expect(gigasetZone(berlin)).toEqual({ name: 'Europe/Berlin', substituted: false, exact: true });
    // Not in the firmware list: replaced by a listed zone with the same offset and rule.
    expect(gigasetZone(zoneFacts('Europe/Ljubljana')).substituted).toBe(false);
    const lisbonLike = gigasetZone(zoneFacts('Atlantic/Madeira'));
    expect(lisbonLike).toMatchObject({ substituted: true, exact: true });
  });
});
