import { describe, expect, it } from 'vitest';
import { parseDeviceCsv, MAX_IMPORT_ROWS } from '#src/modules/devices/import/device-csv.js';

describe('parseDeviceCsv', () => {
  it('numbers rows by the file line they start on, across BOM, CRLF, blank lines and quoted line breaks', () => {
    const csv = '\ufeffMAC;Vendor;line1_label\r\n001565000001;yealink;"two\nlines"\r\n\r\n001565000002;poly;x\r\n';
    const { rows, widthErrors } = parseDeviceCsv(csv);
    expect(rows).toEqual([
      { line: 2, cells: { mac: '001565000001', vendor: 'yealink', line1_label: 'two\nlines' } },
      { line: 5, cells: { mac: '001565000002', vendor: 'poly', line1_label: 'x' } },
    ]);
    expect(widthErrors.size).toBe(0);
  });

  it('flags rows whose width differs from the header, keeping the row', () => {
    const { rows, widthErrors } = parseDeviceCsv(
      'mac,vendor,model\n001565000001,yealink\n001565000002,poly,VVX450,extra',
    );
    expect(rows).toHaveLength(2);
    expect([...widthErrors.keys()]).toEqual([2, 3]);
  });

  it('refuses unknown, duplicate and missing columns, line keys beyond 64, and too many rows', () => {
    expect(() => parseDeviceCsv('mac,vendor,colour\n')).toThrow(
      expect.objectContaining({ code: 'csv_unknown_column' }),
    );
    expect(() => parseDeviceCsv('mac,vendor,line65_account\n')).toThrow(
      expect.objectContaining({ code: 'csv_unknown_column' }),
    );
    expect(() => parseDeviceCsv('mac,vendor,MAC\n')).toThrow(expect.objectContaining({ code: 'csv_duplicate_column' }));
    expect(() => parseDeviceCsv('mac,model\n')).toThrow(expect.objectContaining({ code: 'csv_missing_column' }));
    expect(() => parseDeviceCsv('mac,vendor\n"001565000001,yealink\n')).toThrow(
      expect.objectContaining({ code: 'csv_invalid' }),
    );
    const big = ['mac,vendor', ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => 'a,b')].join('\n');
    expect(() => parseDeviceCsv(big)).toThrow(expect.objectContaining({ code: 'import_too_large', statusCode: 413 }));
  });
});
