/**
 * OCDS package metadata (release and record packages): publisher, licence,
 * publication policy, extensions. The extensions are the official ones the
 * DECP mapping declares; the local x_decp extension is declared when its
 * published URL is given.
 */
import { fileURLToPath } from 'node:url';
import { DECLARED_EXTENSIONS } from '../validate/schema-source/ocds.js';

/** DECP's publication policy, which `run` copies into ocds/ (the file is in the npm package). */
export const PUBLICATION_POLICY = fileURLToPath(new URL('../../docs/publication-policy.md', import.meta.url));

const LICENCE_OUVERTE_2 = 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/';

/**
 * Each declared extension: its repository and the commit whose release-schema.json our patch
 * encodes (schemas/extensions/; test/publish/packages.test.ts checks them against the official
 * files' SOURCE.md). A URL of `master` would name whatever the extension becomes, not the version the
 * data conforms to.
 */
export const EXTENSION_VERSIONS: Readonly<Record<(typeof DECLARED_EXTENSIONS)[number], readonly [repository: string, commit: string]>> = {
  bid: ['ocds_bid_extension', 'd62ff4b0ba393d823ca8113a9039b12edf7acb8f'],
  location: ['ocds_location_extension', 'fcd56abaea4214d7f4d712087be32141badbe60c'],
  techniques: ['ocds_techniques_extension', '5568b00a8dd694a3d34441bdd9ef2bd3f9d44b11'],
  charges: ['ocds_charges_extension', 'cbcecd14c7702a6381481a83d94e443e8435b69b'],
  contract_suppliers: ['ocds_contract_suppliers_extension', '213ff47826ef6d9de62b1b7efb9bf490abd8388d'],
  subcontracting: ['ocds_subcontracting_extension', '65d06d0af7e5dc56f0f28beb54e5d7dc5d9155e7'],
  sustainability: ['ocds_sustainability_extension', 'b8d93a0edb8e0ac2f27f733cccf3884e392346e9'],
  tariffs: ['ocds_tariffs_extension', '66690769eff49f2bf1ba1e79347d69f50b091889'],
};

export interface PackageOptions {
  readonly publishedDate: string;
  readonly publisherName?: string | undefined;
  /** The publisher's uri (with publisherName: Etalab's is not given one). */
  readonly publisherUri?: string | undefined;
  readonly license?: string | undefined;
  readonly publicationPolicy?: string | undefined;
  /** Published URL of the x_decp extension.json, when there is one. */
  readonly localExtensionUrl?: string | undefined;
}

export function extensionUrls(localExtensionUrl?: string): string[] {
  const urls = DECLARED_EXTENSIONS.map((e) => `https://raw.githubusercontent.com/open-contracting-extensions/${EXTENSION_VERSIONS[e][0]}/${EXTENSION_VERSIONS[e][1]}/extension.json`);
  if (localExtensionUrl) urls.push(localExtensionUrl);
  return urls;
}

/** Package metadata, in the order OCDS lists the fields. */
function packageMetadata(o: PackageOptions): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    version: '1.1',
    extensions: extensionUrls(o.localExtensionUrl),
    publishedDate: o.publishedDate,
    publisher: o.publisherName !== undefined && o.publisherUri !== undefined ? { name: o.publisherName, uri: o.publisherUri } : { name: o.publisherName ?? 'Etalab' },
    license: o.license ?? LICENCE_OUVERTE_2,
  };
  meta['publicationPolicy'] = o.publicationPolicy ?? 'https://www.data.gouv.fr/fr/datasets/donnees-essentielles-de-la-commande-publique-fichiers-consolides/';
  return meta;
}

export interface PublishedPackageOptions extends PackageOptions {
  /** Where `run`'s ocds/ folder is published (`--publication-url`): the packages' uris, and the x_decp extension's URL unless localExtensionUrl says otherwise. */
  readonly publicationUrl?: string | undefined;
  /**
   * Whether the data holds releases of our mapping (DECP, or a file read through a profile): false
   * when every release is a partner's OCDS, which follows none of our extensions (its contract
   * suppliers an object, its codes its own): they are not declared (a reader applying them refused
   * valid data). Default true.
   */
  readonly ownReleases?: boolean;
}

/**
 * The metadata of `run`'s two packages, `ocds/releases.jsonl.gz` and `ocds/records.jsonl.gz`
 * (`ocds/release-package.json`, `ocds/record-package.json`): each a package less its `releases` or
 * `records`, which are the lines of its file (an empty list would read as a package of nothing). Their
 * `uri`s, which OCDS wants absolute, are known only when the publication URL is given; then the record
 * package names the release package it compiles (`packages`), x_decp is declared where it is published,
 * and the publication policy is the one published beside them (ocds/publication-policy.md) unless given.
 */
export function publishedPackages(o: PublishedPackageOptions): { releasePackage: Record<string, unknown>; recordPackage: Record<string, unknown> } {
  const base = o.publicationUrl === undefined ? undefined : o.publicationUrl.endsWith('/') ? o.publicationUrl : `${o.publicationUrl}/`;
  const at = (file: string): string | undefined => (base === undefined ? undefined : new URL(file, base).href);
  const meta = packageMetadata({ ...o, localExtensionUrl: o.localExtensionUrl ?? at('x_decp/extension.json'), publicationPolicy: o.publicationPolicy ?? at('publication-policy.md') });
  if (o.ownReleases === false) delete meta['extensions'];
  const releasesUri = at('releases.jsonl.gz');
  const recordsUri = at('records.jsonl.gz');
  return {
    releasePackage: { ...(releasesUri === undefined ? {} : { uri: releasesUri }), ...meta },
    recordPackage: { ...(recordsUri === undefined ? {} : { uri: recordsUri }), ...meta, ...(releasesUri === undefined ? {} : { packages: [releasesUri] }) },
  };
}

export interface RecordPackageOptions extends PackageOptions {
  /** The package's own uri (`--uri`); else the file: URL of the output file, when there is one. */
  readonly uri?: string | undefined;
}

const uriUnused = '--publisher-uri is not given to the publisher Etalab, named for want of one: give --publisher-name with it';

const same = (values: readonly unknown[]): unknown => (values.length > 0 && values.every((v) => JSON.stringify(v) === JSON.stringify(values[0])) ? values[0] : undefined);

/**
 * A record package's metadata, in the order OCDS lists the fields. Compiled from OCDS packages (a
 * partner's), it keeps what they say of themselves — their publisher, licence and publication policy
 * when all agree, the union of their extensions, their uris as `packages` — and claims nothing they
 * do not (no licence of ours on their data). Compiled from releases without a package (convert's
 * JSON Lines), it is the DECP publication's. Options given win. `notes` says what the caller should
 * tell the user (a field OCDS requires that could not be filled, publishers, licences or
 * publication policies that disagree).
 */
export function recordPackageMetadata(inputs: ReadonlyArray<Readonly<Record<string, unknown>>>, o: RecordPackageOptions): { meta: Record<string, unknown>; notes: string[] } {
  const notes: string[] = [];
  const meta: Record<string, unknown> = {};
  if (o.uri !== undefined) meta['uri'] = o.uri;
  else notes.push('the record package has no uri (OCDS requires one): give --uri with the URL where it will be published');
  meta['version'] = '1.1';
  if (inputs.length === 0) {
    Object.assign(meta, packageMetadata(o));
    // the DECP publication's metadata on releases that may be another publisher's: said, not silent
    const defaults = [o.publisherName === undefined ? 'publisher Etalab' : '', o.license === undefined ? 'the Licence Ouverte 2.0' : '', o.publicationPolicy === undefined ? "the DECP publication policy" : ''].filter(Boolean);
    if (defaults.length > 0) notes.push(`no input is an OCDS package (none says who publishes it, under which licence): the record package has the DECP publication's ${defaults.join(', ')}; for another publisher's releases give --publisher-name, --license and --publication-policy`);
    if (o.publisherUri !== undefined && o.publisherName === undefined) notes.push(uriUnused);
    return { meta, notes };
  }
  const extensions = [...new Set(inputs.flatMap((p) => (Array.isArray(p['extensions']) ? p['extensions'].filter((e): e is string => typeof e === 'string') : [])))];
  if (o.localExtensionUrl && !extensions.includes(o.localExtensionUrl)) extensions.push(o.localExtensionUrl);
  if (extensions.length > 0) meta['extensions'] = extensions;
  meta['publishedDate'] = o.publishedDate;
  // (--publisher-uri is the uri of the publisher the package names: --publisher-name's, else the one the
  // input packages agree on, whose own uri it replaces; never Etalab's, named for want of one)
  const agreedPublisher = same(inputs.map((p) => p['publisher']));
  const publisher = o.publisherName !== undefined ? { name: o.publisherName, ...(o.publisherUri === undefined ? {} : { uri: o.publisherUri }) }
    : agreedPublisher !== null && typeof agreedPublisher === 'object' && !Array.isArray(agreedPublisher) && o.publisherUri !== undefined ? { ...agreedPublisher, uri: o.publisherUri } : agreedPublisher;
  if (publisher !== undefined) meta['publisher'] = publisher;
  else {
    meta['publisher'] = { name: 'Etalab' };
    notes.push('the input packages name different publishers (or none): the record package names Etalab; give --publisher-name');
    if (o.publisherUri !== undefined) notes.push(uriUnused);
  }
  // a licence or policy the packages disagree on is none of them: left out, and said (as a publisher is)
  const agreed = (field: string, option: string, what: string, given: string | undefined): void => {
    const values = inputs.map((p) => p[field]);
    const value = given ?? same(values);
    if (typeof value === 'string') meta[field] = value;
    else if (given === undefined && value === undefined && values.some((v) => v !== undefined)) notes.push(`the input packages give different ${what} (or some none): the record package gives none; give ${option}`);
  };
  agreed('license', '--license', 'licences', o.license);
  agreed('publicationPolicy', '--publication-policy', 'publication policies', o.publicationPolicy);
  const uris = [...new Set(inputs.map((p) => p['uri']).filter((u): u is string => typeof u === 'string' && u !== ''))];
  if (uris.length > 0) meta['packages'] = uris;
  return { meta, notes };
}
