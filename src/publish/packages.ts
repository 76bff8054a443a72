/**
 * OCDS package metadata (release and record packages): publisher, licence,
 * publication policy, extensions. The extensions are the official ones the
 * DECP mapping declares; the local x_decp extension is declared when its
 * published URL is given.
 */
import { DECLARED_EXTENSIONS } from '../validate/schema-source/ocds.js';

export const LICENCE_OUVERTE_2 = 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/';

const REPOSITORIES: Readonly<Record<string, string>> = {
  bid: 'ocds_bid_extension',
  location: 'ocds_location_extension',
  techniques: 'ocds_techniques_extension',
  charges: 'ocds_charges_extension',
  contract_suppliers: 'ocds_contract_suppliers_extension',
  subcontracting: 'ocds_subcontracting_extension',
  sustainability: 'ocds_sustainability_extension',
  tariffs: 'ocds_tariffs_extension',
};

export interface PackageOptions {
  readonly publishedDate: string;
  readonly publisherName?: string | undefined;
  readonly license?: string | undefined;
  readonly publicationPolicy?: string | undefined;
  /** Published URL of the x_decp extension.json, when there is one. */
  readonly localExtensionUrl?: string | undefined;
}

export function extensionUrls(localExtensionUrl?: string): string[] {
  const urls = DECLARED_EXTENSIONS.map((e) => `https://raw.githubusercontent.com/open-contracting-extensions/${REPOSITORIES[e]}/master/extension.json`);
  if (localExtensionUrl) urls.push(localExtensionUrl);
  return urls;
}

/** Package metadata, in the order OCDS lists the fields. */
export function packageMetadata(o: PackageOptions): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    version: '1.1',
    extensions: extensionUrls(o.localExtensionUrl),
    publishedDate: o.publishedDate,
    publisher: { name: o.publisherName ?? 'Etalab' },
    license: o.license ?? LICENCE_OUVERTE_2,
  };
  meta['publicationPolicy'] = o.publicationPolicy ?? 'https://www.data.gouv.fr/fr/datasets/donnees-essentielles-de-la-commande-publique-fichiers-consolides/';
  return meta;
}
