/**
 * The project's own OCDS 1.1.5 release schema and the extension patches the
 * DECP mapping declares, written from the standard's facts (field names, types,
 * formats, closed codelists, merge annotations) in a compact form, and built into
 * JSON Schema draft-04 by `npm run schemas` (files in schemas/). Tests prove
 * that a validator built from these and one built from the official files in
 * ../shared give the same verdicts and the same failing JSON pointers.
 */
import { COUNTRIES, CURRENCIES } from './codes.js';

type Schema = Record<string, unknown>;

const NULLABLE = (t: string): string[] => [t, 'null'];

/** BCP 47 language tag, as OCDS uses it for language variants of text fields (`title_fr`). */
const BCP47 =
  '(((([A-Za-z]{2,3}(-([A-Za-z]{3}(-[A-Za-z]{3}){0,2}))?)|[A-Za-z]{4}|[A-Za-z]{5,8})(-([A-Za-z]{4}))?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(-([0-9A-WY-Za-wy-z](-[A-Za-z0-9]{2,8})+))*(-(x(-[A-Za-z0-9]{1,8})+))?)|(x(-[A-Za-z0-9]{1,8})+))';

// ---- the field language --------------------------------------------------------------------
// s: ["string","null"]; S: "string"; n/N, i, b likewise; dt: date-time; uri: uri; id: ["string","integer"]
const s = (extra: Schema = {}): Schema => ({ type: NULLABLE('string'), ...extra });
const S = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const n = (extra: Schema = {}): Schema => ({ type: NULLABLE('number'), ...extra });
const i = (extra: Schema = {}): Schema => ({ type: NULLABLE('integer'), ...extra });
const b = (): Schema => ({ type: NULLABLE('boolean') });
const dt = (): Schema => s({ format: 'date-time' });
const uri = (): Schema => s({ format: 'uri' });
const idField = (extra: Schema = {}): Schema => ({ type: ['string', 'integer'], minLength: 1, ...extra });
const ref = (def: string, extra: Schema = {}): Schema => ({ $ref: `#/definitions/${def}`, ...extra });
const list = (def: string, extra: Schema = {}): Schema => ({ type: 'array', items: { $ref: `#/definitions/${def}` }, ...extra });
const uniq = (def: string, extra: Schema = {}): Schema => list(def, { uniqueItems: true, ...extra });
const strings = (extra: Schema = {}): Schema => ({ type: NULLABLE('array'), items: { type: 'string' }, ...extra });
/** A closed codelist: the codes, and null. */
const closed = (codelist: string, codes: readonly string[]): Schema => s({ enum: [...codes, null], codelist, openCodelist: false });
const open = (codelist: string, base: Schema = s()): Schema => ({ ...base, codelist, openCodelist: true });
const deprecated = (x: Schema): Schema => ({ ...x, deprecated: { deprecatedVersion: '1.1' } });

/** An object definition; `lang` fields get their language variants (`title_fr`). */
function obj(properties: Record<string, Schema>, opts: { required?: string[]; lang?: string[]; minProperties?: number; type?: boolean } = {}): Schema {
  const o: Schema = {};
  if (opts.type !== false) o['type'] = 'object';
  if (opts.required) o['required'] = opts.required;
  o['properties'] = properties;
  if (opts.lang && opts.lang.length > 0) o['patternProperties'] = Object.fromEntries(opts.lang.map((f) => [`^(${f}_${BCP47})$`, s()]));
  if (opts.minProperties !== undefined) o['minProperties'] = opts.minProperties;
  return o;
}

export const RELEASE_TAGS = ['planning', 'planningUpdate', 'tender', 'tenderAmendment', 'tenderUpdate', 'tenderCancellation', 'award', 'awardUpdate', 'awardCancellation', 'contract', 'contractUpdate', 'contractAmendment', 'implementation', 'implementationUpdate', 'contractTermination', 'compiled'];

/** The OCDS 1.1.5 release schema (core). */
export function ocdsReleaseSchema(): Schema {
  const release = obj(
    {
      ocid: S({ minLength: 1 }),
      id: S({ minLength: 1, omitWhenMerged: true }),
      date: S({ format: 'date-time', omitWhenMerged: true }),
      tag: { type: 'array', items: { type: 'string', enum: RELEASE_TAGS }, codelist: 'releaseTag.csv', openCodelist: false, minItems: 1, omitWhenMerged: true },
      initiationType: S({ enum: ['tender'], codelist: 'initiationType.csv', openCodelist: false }),
      parties: uniq('Organization'),
      buyer: ref('OrganizationReference'),
      planning: ref('Planning'),
      tender: ref('Tender'),
      awards: uniq('Award'),
      contracts: uniq('Contract'),
      language: s({ default: 'en' }),
      relatedProcesses: uniq('RelatedProcess'),
    },
    { required: ['ocid', 'id', 'date', 'tag', 'initiationType'] },
  );
  const definitions: Record<string, Schema> = {
    Planning: obj({ rationale: s(), budget: ref('Budget'), documents: list('Document'), milestones: list('Milestone') }, { lang: ['rationale'] }),
    Tender: obj(
      {
        id: idField({ versionId: true }),
        title: s(),
        description: s(),
        status: closed('tenderStatus.csv', ['planning', 'planned', 'active', 'cancelled', 'unsuccessful', 'complete', 'withdrawn']),
        procuringEntity: ref('OrganizationReference'),
        items: uniq('Item'),
        value: ref('Value'),
        minValue: ref('Value'),
        procurementMethod: closed('method.csv', ['open', 'selective', 'limited', 'direct']),
        procurementMethodDetails: s(),
        procurementMethodRationale: s(),
        mainProcurementCategory: closed('procurementCategory.csv', ['goods', 'works', 'services']),
        additionalProcurementCategories: open('extendedProcurementCategory.csv', strings()),
        awardCriteria: open('awardCriteria.csv'),
        awardCriteriaDetails: s(),
        submissionMethod: open('submissionMethod.csv', strings()),
        submissionMethodDetails: s(),
        tenderPeriod: ref('Period'),
        enquiryPeriod: ref('Period'),
        hasEnquiries: b(),
        eligibilityCriteria: s(),
        awardPeriod: ref('Period'),
        contractPeriod: ref('Period'),
        numberOfTenderers: i(),
        tenderers: uniq('OrganizationReference'),
        documents: list('Document'),
        milestones: list('Milestone'),
        amendments: list('Amendment'),
        amendment: deprecated(ref('Amendment')),
      },
      { required: ['id'], lang: ['title', 'description', 'procurementMethodRationale', 'awardCriteriaDetails', 'submissionMethodDetails', 'eligibilityCriteria'] },
    ),
    Award: obj(
      {
        id: idField(),
        title: s(),
        description: s(),
        status: closed('awardStatus.csv', ['pending', 'active', 'cancelled', 'unsuccessful']),
        date: dt(),
        value: ref('Value'),
        suppliers: uniq('OrganizationReference'),
        items: uniq('Item', { minItems: 1 }),
        contractPeriod: ref('Period'),
        documents: uniq('Document'),
        amendments: list('Amendment'),
        amendment: deprecated(ref('Amendment')),
      },
      { required: ['id'], lang: ['title', 'description'] },
    ),
    Contract: obj(
      {
        id: idField(),
        awardID: idField(),
        title: s(),
        description: s(),
        status: closed('contractStatus.csv', ['pending', 'active', 'cancelled', 'terminated']),
        period: ref('Period'),
        value: ref('Value'),
        items: uniq('Item', { minItems: 1 }),
        dateSigned: dt(),
        documents: uniq('Document'),
        implementation: ref('Implementation'),
        relatedProcesses: uniq('RelatedProcess'),
        milestones: list('Milestone'),
        amendments: list('Amendment'),
        amendment: deprecated(ref('Amendment')),
      },
      { required: ['id', 'awardID'], lang: ['title', 'description'] },
    ),
    Implementation: obj({ transactions: uniq('Transaction'), milestones: uniq('Milestone'), documents: uniq('Document') }),
    Milestone: obj(
      {
        id: idField(),
        title: s(),
        type: open('milestoneType.csv'),
        description: s(),
        code: s(),
        dueDate: dt(),
        dateMet: dt(),
        dateModified: dt(),
        status: closed('milestoneStatus.csv', ['scheduled', 'met', 'notMet', 'partiallyMet']),
        documents: deprecated(uniq('Document')),
      },
      { required: ['id'], lang: ['title', 'description'] },
    ),
    Document: obj(
      { id: idField(), documentType: open('documentType.csv'), title: s(), description: s(), url: uri(), datePublished: dt(), dateModified: dt(), format: s(), language: s() },
      { required: ['id'], lang: ['title', 'description'] },
    ),
    Budget: obj(
      { id: { type: ['string', 'integer', 'null'] }, description: s(), amount: ref('Value'), project: s(), projectID: { type: ['string', 'integer', 'null'] }, uri: uri(), source: deprecated(uri()) },
      { lang: ['source', 'description', 'project'] },
    ),
    Transaction: obj(
      {
        id: idField(),
        source: uri(),
        date: dt(),
        value: ref('Value'),
        payer: ref('OrganizationReference'),
        payee: ref('OrganizationReference'),
        uri: uri(),
        amount: deprecated(ref('Value')),
        providerOrganization: deprecated(ref('Identifier')),
        receiverOrganization: deprecated(ref('Identifier')),
      },
      { required: ['id'] },
    ),
    OrganizationReference: obj({
      name: s({ minLength: 1 }),
      id: { type: ['string', 'integer'] },
      identifier: deprecated(ref('Identifier')),
      address: deprecated(ref('Address')),
      additionalIdentifiers: deprecated(uniq('Identifier', { wholeListMerge: true })),
      contactPoint: deprecated(ref('ContactPoint')),
    }),
    Organization: obj(
      {
        name: s(),
        id: S(),
        identifier: ref('Identifier'),
        additionalIdentifiers: uniq('Identifier', { wholeListMerge: true }),
        address: ref('Address'),
        contactPoint: ref('ContactPoint'),
        roles: open('partyRole.csv', strings()),
        details: { type: NULLABLE('object') },
      },
      { lang: ['name'] },
    ),
    Item: obj(
      {
        id: idField(),
        description: s(),
        classification: ref('Classification'),
        additionalClassifications: uniq('Classification', { wholeListMerge: true }),
        quantity: n(),
        unit: obj({ scheme: open('unitClassificationScheme.csv'), id: s({ versionId: true }), name: s(), value: ref('Value'), uri: uri() }, { lang: ['name'] }),
      },
      { required: ['id'], lang: ['description'] },
    ),
    Amendment: obj(
      { date: dt(), rationale: s(), id: s(), description: s(), amendsReleaseID: s(), releaseID: s(), changes: deprecated({ type: 'array', items: obj({ property: S(), former_value: { type: ['string', 'number', 'integer', 'array', 'object', 'null'] } }) }) },
      { lang: ['rationale'] },
    ),
    Classification: obj({ scheme: open('itemClassificationScheme.csv'), id: { type: ['string', 'integer', 'null'], versionId: true }, description: s(), uri: uri() }, { lang: ['description'] }),
    Identifier: obj({ scheme: s(), id: { type: ['string', 'integer', 'null'], versionId: true }, legalName: s(), uri: uri() }, { lang: ['legalName'] }),
    Address: obj({ streetAddress: s(), locality: s(), region: s(), postalCode: s(), countryName: s() }, { lang: ['countryName'] }),
    ContactPoint: obj({ name: s(), email: s(), telephone: s(), faxNumber: s(), url: uri() }, { lang: ['name'] }),
    Value: obj({ amount: n(), currency: closed('currency.csv', CURRENCIES) }),
    Period: obj({ startDate: dt(), endDate: dt(), maxExtentDate: dt(), durationInDays: i() }),
    RelatedProcess: obj({ id: S(), relationship: open('relatedProcess.csv', strings()), title: s(), scheme: open('relatedProcessScheme.csv'), identifier: s(), uri: uri() }),
  };
  return { $schema: 'http://json-schema.org/draft-04/schema#', ...release, definitions };
}

const props = (p: Record<string, Schema>): Schema => ({ properties: p });
const percentage = (exclusiveMinimum: boolean): Schema => ({ ...n({ minimum: 0, maximum: 1 }), ...(exclusiveMinimum ? { exclusiveMinimum: true } : {}) });

/**
 * The extension patches (JSON Merge Patch on the release schema) that the DECP
 * mapping declares, by extension name.
 */
export function extensionPatches(): Record<string, Schema> {
  return {
    bid: {
      properties: { bids: obj({ statistics: list('Statistic'), details: list('Bid') }) },
      definitions: {
        Award: props({ relatedBid: { ...s(), deprecated: { deprecatedVersion: '1.2' } }, relatedBids: strings() }),
        Contract: props({ relatedBids: strings() }),
        Statistic: obj(
          { id: S(), measure: open('statistic.csv', S()), date: dt(), value: { type: 'number' }, valueGross: n(), currency: closed('currency.csv', CURRENCIES), notes: s(), relatedLot: s() },
          { required: ['id', 'measure', 'value'] },
        ),
        Bid: obj(
          {
            id: S(),
            identifiers: uniq('SimpleIdentifier', { minItems: 1, wholeListMerge: true }),
            submissionType: closed('submissionType.csv', ['expressionOfInterest', 'bid']),
            date: dt(),
            description: s(),
            status: closed('bidStatus.csv', ['invited', 'pending', 'valid', 'disqualified', 'withdrawn']),
            items: uniq('Item'),
            tenderers: list('OrganizationReference'),
            value: ref('Value'),
            validityPeriod: ref('Period'),
            documents: uniq('Document'),
            relatedLots: strings(),
            countriesOfOrigin: { type: NULLABLE('array'), items: { type: 'string', enum: [...COUNTRIES] }, minItems: 1 },
            hasRank: b(),
            rank: i(),
            variant: b(),
          },
          { required: ['id'] },
        ),
        SimpleIdentifier: obj({ scheme: s({ minLength: 1 }), id: s({ minLength: 1, versionId: true }) }, { minProperties: 1 }),
      },
    },
    location: {
      definitions: {
        Tender: props({ deliveryLocations: uniq('Location', { wholeListMerge: true }), deliveryAddresses: uniq('Address', { wholeListMerge: true }) }),
        Item: props({
          deliveryLocations: uniq('Location', { minItems: 1, wholeListMerge: true }),
          deliveryLocation: { ...ref('Location'), deprecated: { deprecatedVersion: '1.2.0' } },
          deliveryAddresses: uniq('Address', { minItems: 1, wholeListMerge: true }),
          deliveryAddress: { ...ref('Address'), deprecated: { deprecatedVersion: '1.2.0' } },
        }),
        Location: obj({
          description: s(),
          geometry: obj({ type: closed('geometryType.csv', ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']), coordinates: { type: NULLABLE('array'), items: { type: ['number', 'array'] } } }),
          gazetteer: obj({ scheme: open('locationGazetteers.csv'), identifiers: { type: NULLABLE('array'), items: { type: 'string' } } }),
          uri: uri(),
        }),
        Address: props({ description: s() }),
      },
    },
    techniques: {
      definitions: {
        Tender: props({ techniques: ref('Techniques'), competitive: b() }),
        Lot: props({ techniques: ref('Techniques') }),
        LotGroup: props({ techniques: ref('Techniques') }),
        Techniques: obj(
          {
            hasFrameworkAgreement: b(),
            frameworkAgreement: ref('FrameworkAgreement'),
            hasDynamicPurchasingSystem: b(),
            dynamicPurchasingSystem: ref('DynamicPurchasingSystem'),
            hasElectronicAuction: b(),
            electronicAuction: ref('ElectronicAuction'),
          },
          { minProperties: 1 },
        ),
        FrameworkAgreement: obj(
          {
            minimumParticipants: n(),
            maximumParticipants: n(),
            method: closed('frameworkAgreementMethod.csv', ['withReopeningCompetition', 'withoutReopeningCompetition', 'withAndWithoutReopeningCompetition']),
            periodRationale: s({ minLength: 1 }),
            buyerCategories: s({ minLength: 1 }),
            value: ref('Value'),
            period: ref('Period'),
            description: s({ minLength: 1 }),
          },
          { minProperties: 1 },
        ),
        DynamicPurchasingSystem: obj({ type: closed('dynamicPurchasingSystemType.csv', ['open', 'closed']), status: closed('dynamicPurchasingSystemStatus.csv', ['pending', 'active', 'cancelled', 'terminated']) }, { minProperties: 1 }),
        ElectronicAuction: obj({ url: s({ minLength: 1 }), description: s({ minLength: 1 }) }, { minProperties: 1 }),
      },
    },
    charges: {
      definitions: {
        Implementation: props({ charges: uniq('Charge', { minItems: 1 }) }),
        Charge: obj(
          { id: S({ minLength: 1 }), title: s({ minLength: 1 }), paidBy: closed('chargePaidBy.csv', ['government', 'user']), period: ref('Period'), estimatedValue: ref('Value'), actualValue: ref('Value'), notes: s({ minLength: 1 }) },
          { required: ['id'], minProperties: 1 },
        ),
      },
    },
    contract_suppliers: {
      definitions: { Contract: props({ suppliers: uniq('OrganizationReference', { minItems: 1 }) }) },
    },
    subcontracting: {
      definitions: {
        Tender: props({ subcontractingTerms: ref('SubcontractingTerms') }),
        Award: props({ hasSubcontracting: b(), subcontracting: ref('Subcontracting') }),
        Lot: props({ subcontractingTerms: ref('SubcontractingTerms') }),
        Bid: props({ hasSubcontracting: b(), subcontracting: ref('Subcontracting') }),
        SubcontractingTerms: obj({ description: s({ minLength: 1 }), competitiveMaximumPercentage: percentage(true), competitiveMinimumPercentage: percentage(false) }, { minProperties: 1 }),
        Subcontracting: obj(
          {
            description: s({ minLength: 1 }),
            maximumPercentage: percentage(true),
            minimumPercentage: percentage(false),
            competitiveMaximumPercentage: percentage(true),
            competitiveMinimumPercentage: percentage(false),
            value: ref('Value'),
            competitive: b(),
            subcontracts: uniq('Subcontract', { minItems: 1 }),
          },
          { minProperties: 1 },
        ),
        Subcontract: obj({ id: { type: ['string'], minLength: 1 }, subcontractor: ref('OrganizationReference'), mainContractors: uniq('OrganizationReference', { minItems: 1 }) }, { required: ['id'], minProperties: 1 }),
      },
    },
    sustainability: {
      definitions: {
        Sustainability: obj(
          {
            description: s({ minLength: 1 }),
            goal: open('sustainabilityGoal.csv', s({ minLength: 1 })),
            strategies: open('sustainabilityStrategy.csv', { type: NULLABLE('array'), items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true }),
          },
          { minProperties: 1 },
        ),
        Tender: props({ hasSustainability: b(), sustainability: uniq('Sustainability', { minItems: 1, wholeListMerge: true }) }),
        Lot: props({ hasSustainability: b(), sustainability: uniq('Sustainability', { minItems: 1, wholeListMerge: true }) }),
      },
    },
    tariffs: {
      definitions: {
        Implementation: props({ tariffs: uniq('Tariff', { minItems: 1 }) }),
        Contract: props({ tariffs: uniq('Tariff', { minItems: 1 }) }),
        Tariff: obj(
          {
            id: S({ minLength: 1 }),
            title: s({ minLength: 1 }),
            paidBy: closed('chargePaidBy.csv', ['government', 'user']),
            period: ref('Period'),
            value: ref('Value'),
            unit: { ...obj({ name: s({ minLength: 1 }), scheme: open('unitClassificationScheme.csv', s({ minLength: 1 })), id: s({ minLength: 1 }), uri: uri() }), minProperties: 1 },
            dimensions: { type: 'object', patternProperties: { '^.*': s({ minLength: 1 }) }, minProperties: 1 },
            notes: s({ minLength: 1 }),
          },
          { required: ['id'], minProperties: 1 },
        ),
      },
    },
  };
}

/** The extensions the DECP mapping declares, in the order their patches are applied. */
export const DECLARED_EXTENSIONS = ['bid', 'location', 'techniques', 'charges', 'contract_suppliers', 'subcontracting', 'sustainability', 'tariffs'] as const;

/**
 * The extensions a package declares (their URLs) that are not ours: their merge rules (a list they
 * mark wholeListMerge) are not in the schema the merge follows unless given (`--extension`). An
 * extension is known by its repository's name (`ocds_lots_extension` → lots); a URL that names none
 * is listed too.
 */
export function unbundledExtensions(urls: readonly unknown[]): string[] {
  const ours = new Set<string>(DECLARED_EXTENSIONS);
  const out: string[] = [];
  for (const url of urls) {
    if (typeof url !== 'string') continue;
    const name = /ocds_([a-z0-9_]+?)_extension/i.exec(url)?.[1]?.toLowerCase();
    if (name !== undefined && ours.has(name)) continue;
    // our own local extension, x_decp, wherever it is published
    if (/x_decp/i.test(url)) continue;
    if (!out.includes(url)) out.push(url);
  }
  return out;
}
