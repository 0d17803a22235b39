import { describe, expect, it } from 'vitest';
import { CsvLineParser, splitCsvRecord } from './csv-line.parser.js';
import { lineParser } from './input-format.js';

describe('CSV input', () => {
  it('splits quoted fields, doubled quotes and commas inside quotes', () => {
    expect(splitCsvRecord('a,"b, c","say ""hi""",')).toEqual(['a', 'b, c', 'say "hi"', '']);
    expect(splitCsvRecord('"open')).toEqual({ problem: 'unterminated quote' });
  });

  it("reads a header after the file's byte-order mark, quoted or not", () => {
    for (const header of ['\ufeff"user_id","event_name"', '\ufeffuser_id,event_name']) {
      const csv = new CsvLineParser();
      expect(csv.parse(header, 1)).toEqual({ kind: 'skip' });
      expect(csv.parse('"ann","e"', 2)).toMatchObject({ kind: 'summary', summary: { userId: 'ann', item: { event_name: 'e' } } });
    }
  });

  it('refuses text after a closing quote rather than guessing what was meant', () => {
    expect(splitCsvRecord('g,"e"x,1')).toEqual({ problem: 'text after the closing quote of column 2' });
    expect(splitCsvRecord('"a" ,b')).toEqual({ problem: 'text after the closing quote of column 1' });
    // A quote inside an unquoted field is kept as it is, as before; a quoted field may end the record.
    expect(splitCsvRecord('a"b,"c"')).toEqual(['a"b', 'c']);
    const csv = new CsvLineParser();
    csv.parse('user_id,event_name', 1);
    expect(csv.parse('g,"e"x', 2)).toEqual({
      kind: 'rejected',
      rejected: { line: 2, text: 'g,"e"x', errors: [{ code: 'parameter_invalid', message: 'text after the closing quote of column 2' }] },
    });
    expect(() => new CsvLineParser().parse('user_id,"event_name"x', 1)).toThrow(/not a CSV record \(text after the closing quote/);
  });

  it('reads columns by the header, in any order, numbers as numbers and empty cells as absent', () => {
    const csv = new CsvLineParser();
    expect(csv.parse('count,event_name,user_id,first,last', 1)).toEqual({ kind: 'skip' });
    expect(csv.parse('3,signed-up,ann,10,', 2)).toEqual({
      kind: 'summary',
      summary: { line: 2, text: '3,signed-up,ann,10,', userId: 'ann', item: { event_name: 'signed-up', count: 3, first: 10 } },
    });
  });

  it('leaves a non-number to the API, which names the field', () => {
    const read = new CsvLineParser();
    read.parse('user_id,event_name,count', 1);
    expect(read.parse('ann,e,three', 2)).toMatchObject({ kind: 'summary', summary: { item: { count: 'three' } } });
  });

  it('rejects a row with the wrong number of columns, and refuses a header without user_id', () => {
    const csv = new CsvLineParser();
    csv.parse('user_id,event_name', 1);
    expect(csv.parse('ann,e,extra', 2)).toMatchObject({ kind: 'rejected', rejected: { line: 2 } });
    expect(() => new CsvLineParser().parse('name,event_name', 1)).toThrow(/user_id/);
  });

  it('tells CSV from NDJSON by the first line when the file name does not say', () => {
    const parse = lineParser(null);
    expect(parse('', 1)).toEqual({ kind: 'skip' });
    expect(parse('{"user_id":"ann","event_name":"e"}', 2)).toMatchObject({ kind: 'summary' });
    const csv = lineParser(null);
    expect(csv('user_id,event_name', 1)).toEqual({ kind: 'skip' });
    expect(csv('ann,e', 2)).toMatchObject({ kind: 'summary', summary: { userId: 'ann' } });
  });
});
