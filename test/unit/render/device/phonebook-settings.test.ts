import { describe, expect, it } from 'vitest';
import {
  renderDeviceFiles,
  type DeviceRenderInput,
  type PhonebookRef,
  type VendorFamily,
} from '#src/modules/render/device/index.js';
import { grandstreamPhonebookFolder } from '#src/modules/vendors/grandstream/grandstream.view.js';
import { yealinkSearchUrl } from '#src/modules/vendors/yealink/yealink.view.js';
import { goldenInput } from './fixtures.js';
import { parseStrict } from './support.js';

/** What each vendor's device file says about phonebooks, for the phonebook URLs the pipeline hands over. */

function render(
  vendor: VendorFamily,
  phonebooks: PhonebookRef[],
  patch: (input: DeviceRenderInput) => void = () => {},
) {
  const input = goldenInput(vendor);
  input.phonebooks = phonebooks;
  patch(input);
  const result = renderDeviceFiles(input);
  return { result, text: result.files.map((file) => file.body.toString('utf8')).join('\n') };
}

const books = (count: number, format: string): PhonebookRef[] =>
  Array.from({ length: count }, (_unused, i) => ({
    name: `Book ${i + 1}`,
    url: `https://prov.example.net/pb/tok${i + 1}/${format}.xml`,
  }));

function yealinkSlots(text: string): Array<[string, string]> {
  return [1, 2, 3, 4, 5].map((i) => [
    new RegExp(`^remote_phonebook\\.data\\.${i}\\.name = (.*)$`, 'm').exec(text)![1]!,
    new RegExp(`^remote_phonebook\\.data\\.${i}\\.url = (.*)$`, 'm').exec(text)![1]!,
  ]);
}

describe('Yealink remote phonebooks with server-side search', () => {
  it('puts every book first as a download, then each book as a #SEARCH entry in the slots left', () => {
    const { result, text } = render('yealink', books(2, 'yealink'));
    expect(yealinkSlots(text)).toEqual([
      ['Book 1', 'https://prov.example.net/pb/tok1/yealink.xml'],
      ['Book 2', 'https://prov.example.net/pb/tok2/yealink.xml'],
      ['Book 1 (search)', 'https://prov.example.net/pb/tok1/yealink.xml?q=#SEARCH'],
      ['Book 2 (search)', 'https://prov.example.net/pb/tok2/yealink.xml?q=#SEARCH'],
      ['%NULL%', '%NULL%'],
    ]);
    expect(result.warnings.filter((w) => w.includes('phonebook'))).toEqual([]);
  });

  it('keeps downloads before searches when slots run short, and says which searches are missing', () => {
    const three = render('yealink', books(3, 'yealink'));
    expect(yealinkSlots(three.text).map(([name]) => name)).toEqual([
      'Book 1',
      'Book 2',
      'Book 3',
      'Book 1 (search)',
      'Book 2 (search)',
    ]);
    expect(three.result.warnings).toContain(
      'yealink: no remote phonebook slot left for the search entry of 1 phonebook(s)',
    );

    const six = render('yealink', books(6, 'yealink'));
    expect(yealinkSlots(six.text).map(([name]) => name)).toEqual(['Book 1', 'Book 2', 'Book 3', 'Book 4', 'Book 5']);
    expect(six.result.warnings).toContain('yealink phones take 5 remote phonebook URL(s); 1 not provisioned');
    expect(six.result.warnings).toContain(
      'yealink: no remote phonebook slot left for the search entry of 5 phonebook(s)',
    );
  });

  it('builds the search form the phone server answers (yealink.xml?q=)', () => {
    expect(yealinkSearchUrl('https://h/pb/t/yealink.xml')).toBe('https://h/pb/t/yealink.xml?q=#SEARCH');
    expect(yealinkSearchUrl('https://h/pb/t/yealink.xml?x=1')).toBe('https://h/pb/t/yealink.xml?x=1&q=#SEARCH');
  });

  it('clears every slot when the device sees no phonebook', () => {
    expect(yealinkSlots(render('yealink', []).text).every(([name, url]) => name === '%NULL%' && url === '%NULL%')).toBe(
      true,
    );
  });
});

describe('Poly directory', () => {
  it('writes no phonebook URL, and warns only about books beyond the one <mac>-directory.xml shows', async () => {
    const one = render('poly', books(1, 'poly'));
    expect(one.text).not.toContain('/pb/');
    expect(one.result.warnings.filter((w) => w.includes('directory'))).toEqual([]);
    expect(one.text).toContain('CONTACTS_DIRECTORY=""');
    await parseStrict(one.result.files);

    const three = render('poly', books(3, 'poly'));
    expect(three.result.warnings).toContain(
      'poly phones show one directory (<mac>-directory.xml: the first phonebook); 2 other phonebook(s) not provisioned',
    );
  });
});

describe('Grandstream phonebook download (P330/P331/P332)', () => {
  it('writes the scheme, the folder the phone appends phonebook.xml to, and the interval', () => {
    const { text } = render('grandstream', books(1, 'grandstream'));
    expect(text).toContain('<P330>3</P330>\n    <P331>prov.example.net/pb/tok1</P331>\n    <P332>120</P332>');
    const plain = render('grandstream', [
      { name: 'B', url: 'http://prov.example.net:8080/t/acme/pb/tok1/grandstream.xml' },
    ]);
    expect(plain.text).toContain('<P330>1</P330>\n    <P331>prov.example.net:8080/t/acme/pb/tok1</P331>');
  });

  it('sets an hourly interval when none is configured, so an old P332 of 0 cannot stop downloads', () => {
    const { text } = render('grandstream', books(1, 'grandstream'), (i) => delete i.settings.phonebookRefreshSeconds);
    expect(text).toContain('<P332>60</P332>');
  });

  it('switches the download off without a phonebook', () => {
    const { text } = render('grandstream', [], (i) => delete i.settings.phonebookRefreshSeconds);
    expect(text).toContain('<P330>0</P330>\n    <P331></P331>');
    expect(text).not.toContain('<P332>');
  });

  it('takes the folder from a URL with or without a query', () => {
    expect(grandstreamPhonebookFolder('h/pb/t/grandstream.xml')).toBe('h/pb/t');
    expect(grandstreamPhonebookFolder('h/pb/t/grandstream.xml?v=1#x')).toBe('h/pb/t');
  });
});

describe('Snom directory key', () => {
  it('opens the minibrowser document of the first book', () => {
    const { text } = render('snom', books(1, 'snom-directory'));
    expect(text).toContain(
      '<dkey_directory perm="R">url https://prov.example.net/pb/tok1/snom-directory.xml</dkey_directory>',
    );
  });

  it('falls back to the local directory search without a phonebook', () => {
    expect(render('snom', []).text).toContain('<dkey_directory perm="R">keyevent F_DIRECTORY_SEARCH</dkey_directory>');
  });
});

describe('Cisco directory URL', () => {
  it('points MPP and enterprise phones at page 1 of the first book (it carries the Search softkey)', () => {
    expect(render('cisco-mpp', books(1, 'cisco')).text).toContain(
      '<XML_Directory_Service_URL ua="na">https://prov.example.net/pb/tok1/cisco.xml</XML_Directory_Service_URL>',
    );
    expect(render('cisco-enterprise', books(1, 'cisco')).text).toContain(
      '<directoryURL>https://prov.example.net/pb/tok1/cisco.xml</directoryURL>',
    );
  });
});
