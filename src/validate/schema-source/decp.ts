/**
 * The DECP source schemas, written from the regulatory formats' facts:
 * 2019 (arrêté du 22 mars 2019, schema 1.5.0, JSON Schema draft-04) and 2024
 * (arrêtés du 22 décembre 2022, schema 2.0.3, draft-07; and its first version,
 * 2.0.0, the interim shape that records of 2023 still follow). Document schemas with
 * the record definitions `marche` and `contrat-concession`, so that each source
 * record can be validated on its own. Built into schemas/decp-* by `npm run schemas`.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });
const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const int = (extra: Schema = {}): Schema => ({ type: 'integer', ...extra });
const num = (extra: Schema = {}): Schema => ({ type: 'number', ...extra });
const bool = (): Schema => ({ type: 'boolean' });
const oneOfStrings = (values: string[]): Schema => str({ enum: values });
const obj = (required: string[] | null, properties: Record<string, Schema>, extra: Schema = {}): Schema => ({ type: 'object', ...(required ? { required } : {}), properties, ...extra });
const arr = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', ...extra, items });

const PLACE_TYPES = ['Code postal', 'Code commune', 'Code arrondissement', 'Code canton', 'Code département', 'Code région', 'Code pays'];
const CONCESSION_NATURES = ['Concession de travaux', 'Concession de service', 'Concession de service public', 'Délégation de service public'];
const CONCESSION_PROCEDURES = ['Procédure négociée ouverte', 'Procédure non négociée ouverte', 'Procédure négociée restreinte', 'Procédure non négociée restreinte'];
/** The marchés' procedures, as 2019 and 2.0.0 list them (2.0.3 has the same six in another order). */
const MARCHE_PROCEDURES = ['Procédure adaptée', "Appel d'offres ouvert", "Appel d'offres restreint", 'Marché passé sans publicité ni mise en concurrence préalable', 'Dialogue compétitif', 'Procédure avec négociation'];
/** The kinds of a holder's identifier (2019 and 2.0.0; 2.0.3 has no `UE`). */
const ID_TYPES = ['SIRET', 'TVA', 'TAHITI', 'RIDET', 'FRWF', 'IREP', 'UE', 'HORS-UE'];
const MARCHE_NATURES_2024 = ['Marché', 'Marché de partenariat', 'Marché de défense ou de sécurité'];
const PRICE_TYPES_2024 = ['Définitif ferme', 'Définitif actualisable', 'Définitif révisable', 'Provisoire'];
const PRICE_FORMS_2024 = ['Unitaire', 'Forfaitaire', 'Mixte'];
/** A subcontract's price (2024). */
const PRICE_VARIATIONS_2024 = ['Ferme', 'Actualisable', 'Révisable'];
/** A buyer's or a granting authority's SIRET. */
const SIRET = str({ pattern: '^[0-9]{14}$' });
/** A tariff of a concession's execution data (every version). */
const TARIFF = obj(['intituleTarif', 'tarif'], { intituleTarif: str({ maxLength: 256 }), tarif: num({ minimum: 0 }) });

/** 2019: a day, optionally with a zone suffix. */
const DATE_2019 = str({ pattern: '^\\d{4}-[01]\\d-[0-3]\\d([+-][0-2]\\d:[0-5]\\dZ?)?$' });

export function decp2019Schema(): Schema {
  const holder = obj(['typeIdentifiant', 'id', 'denominationSociale'], { typeIdentifiant: oneOfStrings(ID_TYPES), id: str(), denominationSociale: str() });
  const definitions: Record<string, Schema> = {
    IdentifiantMarche: str({ minLength: 7, maxLength: 16 }),
    IdentifiantUniqueMarche: str({ pattern: '^[0-9]{14}.{7,16}$' }),
    Organisme: { type: 'object', required: ['id', 'nom'], properties: { id: SIRET, nom: str() } },
    Titulaire: holder,
    marche: obj(['id', 'acheteur', 'nature', 'objet', 'codeCPV', 'procedure', 'lieuExecution', 'dureeMois', 'dateNotification', 'datePublicationDonnees', 'montant', 'formePrix', 'titulaires', 'modifications'], {
      id: ref('IdentifiantMarche'),
      uid: ref('IdentifiantUniqueMarche'),
      _type: str({ pattern: '^Marché$' }),
      acheteur: { required: ['id', 'nom'], properties: { id: SIRET, nom: str() } },
      nature: oneOfStrings(['Marché', 'Marché de partenariat', 'Accord-cadre', 'Marché subséquent']),
      objet: str({ maxLength: 256 }),
      codeCPV: str({ pattern: '^[0-9]{8}(\\-[0-9])?$' }),
      procedure: { enum: MARCHE_PROCEDURES },
      lieuExecution: obj(['code', 'nom', 'typeCode'], { code: str(), typeCode: oneOfStrings(PLACE_TYPES), nom: str() }),
      dureeMois: int({ minimum: 1 }),
      dateNotification: DATE_2019,
      datePublicationDonnees: DATE_2019,
      montant: num({ minimum: 0 }),
      formePrix: oneOfStrings(['Ferme', 'Ferme et actualisable', 'Révisable']),
      titulaires: arr(ref('Titulaire'), { minItems: 1, uniqueItems: true }),
      modifications: arr(
        obj(['objetModification', 'datePublicationDonneesModification', 'dateNotificationModification'], {
          objetModification: str({ maxLength: 256 }),
          dateNotificationModification: DATE_2019,
          datePublicationDonneesModification: DATE_2019,
          dureeMois: int(),
          montant: num(),
          titulaires: arr(ref('Titulaire'), { minItems: 1, uniqueItems: true }),
        }),
        { uniqueItems: true },
      ),
    }),
    'contrat-concession': obj(
      ['id', 'autoriteConcedante', 'nature', 'objet', 'procedure', 'lieuExecution', 'dureeMois', 'dateSignature', 'datePublicationDonnees', 'dateDebutExecution', 'valeurGlobale', 'montantSubventionPublique', 'donneesExecution', 'concessionnaires', 'modifications'],
      {
        id: ref('IdentifiantMarche'),
        uid: ref('IdentifiantUniqueMarche'),
        _type: str({ pattern: '^Contrat de concession$' }),
        autoriteConcedante: ref('Organisme'),
        nature: oneOfStrings(CONCESSION_NATURES),
        objet: str({ maxLength: 256 }),
        procedure: { enum: CONCESSION_PROCEDURES },
        lieuExecution: obj(['code', 'typeCode', 'nom'], { code: str({ maxLength: 6 }), typeCode: oneOfStrings(PLACE_TYPES), nom: str() }),
        dureeMois: int({ minimum: 1 }),
        dateSignature: DATE_2019,
        datePublicationDonnees: DATE_2019,
        dateDebutExecution: DATE_2019,
        valeurGlobale: num(),
        montantSubventionPublique: num({ minimum: 0 }),
        donneesExecution: arr(
          obj(['datePublicationDonneesExecution', 'depensesInvestissement', 'tarifs'], {
            datePublicationDonneesExecution: DATE_2019,
            depensesInvestissement: num({ minimum: 0 }),
            tarifs: arr(TARIFF, { minItems: 1 }),
          }),
          { minItems: 0, uniqueItems: true },
        ),
        concessionnaires: arr(ref('Titulaire'), { minItems: 1, uniqueItems: true }),
        modifications: arr(
          obj(['objetModification', 'datePublicationDonneesModification', 'dateSignatureModification'], {
            objetModification: str({ maxLength: 256 }),
            dateSignatureModification: DATE_2019,
            datePublicationDonneesModification: DATE_2019,
            dureeMois: int({ minimum: 1 }),
            valeurGlobale: num({ minimum: 0 }),
          }),
          { uniqueItems: true },
        ),
      },
    ),
  };
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    type: 'object',
    properties: { marches: arr({ anyOf: [ref('marche'), ref('contrat-concession')] }, { minItems: 1, uniqueItems: true }) },
    definitions,
  };
}

/** 2024: days with an (unanchored) pattern, wrapped list items, closed documents. */
const DATE_2024 = str({ pattern: '\\d{4}-\\d{2}-\\d{2}' });

export function decp2024Schema(): Schema {
  const ID_TYPES_2024 = ID_TYPES.filter((t) => t !== 'UE');
  const codes = (values: string[]): Schema => ({ type: 'array', minItems: 1, uniqueItems: true, items: { enum: values } });
  const wrapped = (key: string, inner: Schema, extra: Schema = {}): Schema => ({ ...extra, required: [key], properties: { [key]: inner } });
  const holder = obj(['typeIdentifiant', 'id'], { typeIdentifiant: oneOfStrings(ID_TYPES_2024), id: str() });
  const social = (reserved: string): Schema => obj(['considerationSociale'], { considerationSociale: codes(['Clause sociale', 'Critère social', reserved, 'Pas de considération sociale']) });
  const environmental = obj(['considerationEnvironnementale'], { considerationEnvironnementale: codes(['Clause environnementale', 'Critère environnemental', 'Pas de considération environnementale']) });
  const definitions: Record<string, Schema> = {
    IdentifiantMarche: str({ maxLength: 16, minLength: 1 }),
    Titulaire: holder,
    TitulaireArray: wrapped('titulaire', ref('Titulaire')),
    marcheList: { type: 'object', $ref: '#/definitions/marche' },
    'contrat-concessionList': { type: 'object', $ref: '#/definitions/contrat-concession' },
    marche: obj(
      ['id', 'acheteur', 'nature', 'objet', 'codeCPV', 'techniques', 'modalitesExecution', 'marcheInnovant', 'ccag', 'offresRecues', 'attributionAvance', 'typeGroupementOperateurs', 'procedure', 'lieuExecution', 'dureeMois', 'dateNotification', 'datePublicationDonnees', 'montant', 'typesPrix', 'formePrix', 'sousTraitanceDeclaree', 'titulaires', 'considerationsSociales', 'considerationsEnvironnementales'],
      {
        id: ref('IdentifiantMarche'),
        acheteur: obj(['id'], { id: SIRET }),
        nature: oneOfStrings(MARCHE_NATURES_2024),
        objet: str({ maxLength: 1000 }),
        codeCPV: str({ pattern: '^[0-9]{8}(-[0-9])?$' }),
        techniques: obj(['technique'], { technique: codes(['Accord-cadre', 'Concours', 'Système de qualification', "Système d'acquisition dynamique", 'Catalogue électronique', 'Enchère électronique', 'Sans objet']) }),
        modalitesExecution: obj(['modaliteExecution'], { modaliteExecution: codes(['Tranches', 'Bons de commande', 'Marchés subséquents', 'Sans objet']) }),
        idAccordCadre: ref('IdentifiantMarche'),
        marcheInnovant: bool(),
        ccag: oneOfStrings(['Travaux', "Maitrise d'œuvre", 'Fournitures courantes et services', 'Marchés industriels', 'Prestations intellectuelles', "Techniques de l'information et de la communication", 'Pas de CCAG']),
        offresRecues: int({ minimum: 1 }),
        attributionAvance: bool(),
        tauxAvance: num({ minimum: 0, maximum: 1 }),
        typeGroupementOperateurs: oneOfStrings(['Conjoint', 'Solidaire', 'Pas de groupement']),
        sousTraitanceDeclaree: bool(),
        actesSousTraitance: arr(
          {
            type: 'object',
            ...wrapped(
              'acteSousTraitance',
              obj(['id', 'sousTraitant', 'dureeMois', 'dateNotification', 'datePublicationDonnees', 'montant', 'variationPrix'], {
                id: int({ minimum: 1 }),
                sousTraitant: holder,
                dureeMois: int({ minimum: 1 }),
                dateNotification: DATE_2024,
                datePublicationDonnees: DATE_2024,
                montant: num({ minimum: 1 }),
                variationPrix: oneOfStrings(PRICE_VARIATIONS_2024),
              }),
            ),
          },
          { minItems: 1, uniqueItems: true },
        ),
        procedure: oneOfStrings(['Procédure adaptée', "Appel d'offres ouvert", "Appel d'offres restreint", 'Procédure avec négociation', 'Marché passé sans publicité ni mise en concurrence préalable', 'Dialogue compétitif']),
        lieuExecution: obj(['code', 'typeCode'], { code: str(), typeCode: oneOfStrings(PLACE_TYPES) }),
        dureeMois: int({ minimum: 1 }),
        dateNotification: DATE_2024,
        datePublicationDonnees: DATE_2024,
        montant: num({ minimum: 1 }),
        typesPrix: obj(['typePrix'], { typePrix: { type: 'array', uniqueItems: true, minItems: 1, items: { enum: PRICE_TYPES_2024 } } }),
        formePrix: oneOfStrings(PRICE_FORMS_2024),
        origineUE: num({ minimum: 0, maximum: 1 }),
        origineFrance: num({ minimum: 0, maximum: 1 }),
        titulaires: arr(ref('TitulaireArray'), { minItems: 1, uniqueItems: true }),
        considerationsSociales: social('Marché réservé'),
        considerationsEnvironnementales: environmental,
        modificationsActesSousTraitance: arr(
          {
            type: 'object',
            ...wrapped(
              'modificationActeSousTraitance',
              obj(['id', 'dateNotificationModificationSousTraitance', 'datePublicationDonnees'], {
                id: int({ minimum: 1 }),
                dureeMois: int({ minimum: 1 }),
                dateNotificationModificationSousTraitance: DATE_2024,
                montant: num({ minimum: 1 }),
                datePublicationDonnees: DATE_2024,
              }),
            ),
          },
          { uniqueItems: true, minItems: 1 },
        ),
        modifications: arr(
          {
            type: 'object',
            ...wrapped(
              'modification',
              obj(['id', 'datePublicationDonneesModification', 'dateNotificationModification'], {
                id: int({ minimum: 1 }),
                dateNotificationModification: DATE_2024,
                datePublicationDonneesModification: DATE_2024,
                dureeMois: int({ minimum: 1 }),
                montant: num({ minimum: 1 }),
                titulaires: arr(ref('TitulaireArray'), { uniqueItems: true, minItems: 1 }),
              }),
            ),
          },
          { uniqueItems: true, minItems: 1 },
        ),
      },
      { additionalProperties: false },
    ),
    'contrat-concession': obj(
      ['id', 'autoriteConcedante', 'nature', 'objet', 'procedure', 'dureeMois', 'dateSignature', 'datePublicationDonnees', 'dateDebutExecution', 'valeurGlobale', 'montantSubventionPublique', 'concessionnaires', 'considerationsSociales', 'considerationsEnvironnementales'],
      {
        id: ref('IdentifiantMarche'),
        autoriteConcedante: obj(['id'], { id: SIRET }),
        nature: oneOfStrings(CONCESSION_NATURES),
        objet: str({ maxLength: 1000 }),
        procedure: oneOfStrings(CONCESSION_PROCEDURES),
        dureeMois: int({ minimum: 1 }),
        dateSignature: DATE_2024,
        datePublicationDonnees: DATE_2024,
        dateDebutExecution: DATE_2024,
        valeurGlobale: num({ minimum: 1 }),
        montantSubventionPublique: num({ minimum: 0 }),
        donneesExecution: arr(
          {
            type: 'object',
            ...wrapped(
              'donneesAnnuelles',
              obj(['datePublicationDonneesExecution', 'depensesInvestissement', 'tarifs'], {
                datePublicationDonneesExecution: DATE_2024,
                depensesInvestissement: num({ minimum: 0 }),
                tarifs: arr({ type: 'object', ...wrapped('tarif', TARIFF) }, { minItems: 1 }),
              }),
            ),
          },
          { minItems: 0, uniqueItems: true },
        ),
        concessionnaires: arr(wrapped('concessionnaire', holder), { minItems: 1, uniqueItems: true }),
        considerationsSociales: social('Concession réservée'),
        considerationsEnvironnementales: environmental,
        modifications: arr(
          {
            type: 'object',
            ...wrapped(
              'modification',
              obj(['id', 'datePublicationDonneesModification', 'dateSignatureModification'], {
                id: int({ minimum: 1 }),
                dateSignatureModification: DATE_2024,
                datePublicationDonneesModification: DATE_2024,
                dureeMois: int({ minimum: 1 }),
                valeurGlobale: num({ minimum: 1 }),
              }),
            ),
          },
          { uniqueItems: true, minItems: 1 },
        ),
      },
      { additionalProperties: false },
    ),
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    required: ['marches'],
    properties: {
      marches: {
        type: 'object',
        properties: { marche: arr(ref('marcheList')), 'contrat-concession': arr(ref('contrat-concessionList')) },
        uniqueItems: true,
        anyOf: [{ required: ['marche'] }, { required: ['contrat-concession'] }],
      },
    },
    definitions,
  };
}

/**
 * 2.0.0, the first 2024 schema (2022), whose shape records of 2023 still follow ("interim"): 2024's
 * fields, but lists of bare items (`"titulaires":[{"typeIdentifiant":…,"id":…}]`), its code lists
 * named in the singular and given as plain arrays (`"technique":[…]`, `"typePrix":[…]`), every list
 * required (empty when there is nothing), null for "not concerned" (`ccag`, `typeGroupementOperateurs`,
 * `origineUE`, `origineFrance`, `idAccordCadre`; the XSD's empty text), amounts and numbering from 0,
 * labels of its own (`Marché à tranches`, `Maîtrise d'œuvre`, typographic apostrophes), `UE`
 * identifiers as 2019 has, records closed as 2.0.3's but allowing `_type`.
 */
export function decp2024InterimSchema(): Schema {
  // (code lists may be empty: `[]` says none applies)
  const codes = (values: string[], extra: Schema = {}): Schema => arr({ ...extra, enum: values }, { minItems: 0, uniqueItems: true });
  const orNull = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
  const share = orNull('number', { minimum: 0, maximum: 1 });
  const definitions: Record<string, Schema> = {
    IdentifiantMarche: str({ maxLength: 16, minLength: 1 }),
    Titulaire: obj(['typeIdentifiant', 'id'], { typeIdentifiant: oneOfStrings(ID_TYPES), id: str() }),
    marche: obj(
      ['id', 'acheteur', 'nature', 'objet', 'codeCPV', 'technique', 'modaliteExecution', 'idAccordCadre', 'marcheInnovant', 'ccag', 'offresRecues', 'attributionAvance', 'typeGroupementOperateurs', 'procedure', 'lieuExecution', 'dureeMois', 'dateNotification', 'datePublicationDonnees', 'montant', 'typePrix', 'formePrix', 'origineUE', 'origineFrance', 'sousTraitanceDeclaree', 'titulaires', 'actesSousTraitance', 'considerationsSociales', 'considerationsEnvironnementales', 'modificationsActesSousTraitance', 'modifications'],
      {
        id: ref('IdentifiantMarche'),
        _type: str({ pattern: '^Marché$' }),
        acheteur: obj(['id'], { id: SIRET }),
        nature: oneOfStrings(MARCHE_NATURES_2024),
        objet: str({ maxLength: 1000 }),
        codeCPV: str({ pattern: '^[0-9]{8}(-[0-9])?$' }),
        technique: codes(['Accord-cadre', 'Concours', 'Système de qualification', 'Système d\u2019acquisition dynamique', 'Catalogue électronique', 'Enchère électronique']),
        modaliteExecution: codes(['Marché à tranches', 'Bon de commande', 'Marché subséquent', 'Mixte']),
        idAccordCadre: { anyOf: [ref('IdentifiantMarche'), { type: 'null' }] },
        marcheInnovant: bool(),
        ccag: orNull('string', { enum: ['Travaux', "Maîtrise d'œuvre", 'Fournitures courantes et services', 'Marchés industriels', 'Prestations intellectuelles', 'Techniques de l\u2019information et de la communication', null] }),
        offresRecues: int({ minimum: 1 }),
        attributionAvance: bool(),
        tauxAvance: num({ minimum: 0, maximum: 1 }),
        typeGroupementOperateurs: orNull('string', { enum: ['Conjoint', 'Solidaire', null] }),
        sousTraitanceDeclaree: bool(),
        actesSousTraitance: arr(
          obj(['id', 'sousTraitant', 'dureeMois', 'dateNotification', 'datePublicationDonnees', 'montant', 'variationPrix'], {
            id: int({ minimum: 0 }),
            sousTraitant: ref('Titulaire'),
            dureeMois: int({ minimum: 1 }),
            dateNotification: DATE_2024,
            datePublicationDonnees: DATE_2024,
            montant: num({ minimum: 0 }),
            variationPrix: oneOfStrings(PRICE_VARIATIONS_2024),
          }),
          { minItems: 0, uniqueItems: true },
        ),
        procedure: { enum: MARCHE_PROCEDURES },
        lieuExecution: obj(['code', 'typeCode'], { code: str(), typeCode: oneOfStrings(PLACE_TYPES) }),
        dureeMois: int({ minimum: 1 }),
        dateNotification: DATE_2024,
        datePublicationDonnees: DATE_2024,
        montant: num({ minimum: 0 }),
        typePrix: arr({ enum: PRICE_TYPES_2024 }, { uniqueItems: true, minItems: 1 }),
        formePrix: oneOfStrings(PRICE_FORMS_2024),
        origineUE: share,
        origineFrance: share,
        titulaires: arr(ref('Titulaire'), { minItems: 1, uniqueItems: true }),
        considerationsSociales: codes(['Critère social', 'Clause sociale', 'Marché réservé']),
        considerationsEnvironnementales: codes(['Critère environnemental', 'Clause environnementale']),
        modificationsActesSousTraitance: arr(
          obj(['id', 'dateNotificationModificationActeSousTraitance', 'datePublicationDonneesModificationActeSousTraitance'], {
            id: int({ minimum: 0 }),
            dureeMois: int({ minimum: 1 }),
            dateNotificationModificationActeSousTraitance: DATE_2024,
            montant: num({ minimum: 0 }),
            datePublicationDonneesModificationActeSousTraitance: DATE_2024,
          }),
          { uniqueItems: true },
        ),
        modifications: arr(
          obj(['id', 'datePublicationDonneesModification', 'dateNotificationModification'], {
            id: int({ minimum: 0 }),
            dateNotificationModification: DATE_2024,
            datePublicationDonneesModification: DATE_2024,
            dureeMois: int({ minimum: 1 }),
            montant: num({ minimum: 0 }),
            titulaires: arr(ref('Titulaire'), { minItems: 1, uniqueItems: true }),
          }),
          { uniqueItems: true },
        ),
      },
      { additionalProperties: false },
    ),
    'contrat-concession': obj(
      ['id', 'autoriteConcedante', 'nature', 'objet', 'procedure', 'dureeMois', 'dateSignature', 'datePublicationDonnees', 'dateDebutExecution', 'valeurGlobale', 'montantSubventionPublique', 'donneesExecution', 'concessionnaires', 'considerationsSociales', 'considerationsEnvironnementales', 'modifications'],
      {
        id: ref('IdentifiantMarche'),
        autoriteConcedante: obj(['id'], { id: SIRET }),
        nature: oneOfStrings(CONCESSION_NATURES),
        objet: str({ maxLength: 1000 }),
        procedure: { enum: CONCESSION_PROCEDURES },
        dureeMois: int({ minimum: 1 }),
        dateSignature: DATE_2024,
        datePublicationDonnees: DATE_2024,
        dateDebutExecution: DATE_2024,
        valeurGlobale: num({ minimum: 0 }),
        montantSubventionPublique: num({ minimum: 0 }),
        donneesExecution: arr(
          obj(['datePublicationDonneesExecution', 'depensesInvestissement', 'tarifs'], { datePublicationDonneesExecution: DATE_2024, depensesInvestissement: num({ minimum: 0 }), tarifs: arr(TARIFF, { minItems: 1 }) }),
          { minItems: 0, uniqueItems: true },
        ),
        concessionnaires: arr(ref('Titulaire'), { minItems: 1, uniqueItems: true }),
        considerationsSociales: codes(['Clause sociale', 'Critère social', 'Concession réservée'], { type: 'string' }),
        considerationsEnvironnementales: codes(['Clause environnementale', 'Critère environnemental'], { type: 'string' }),
        // (a concession's modification need not give its number)
        modifications: arr(
          obj(['datePublicationDonneesModification', 'dateSignatureModification'], {
            id: int({ minimum: 0 }),
            dateSignatureModification: DATE_2024,
            datePublicationDonneesModification: DATE_2024,
            dureeMois: int({ minimum: 1 }),
            valeurGlobale: num({ minimum: 0 }),
          }),
          { uniqueItems: true },
        ),
      },
      { additionalProperties: false },
    ),
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { marches: arr({ anyOf: [ref('marche'), ref('contrat-concession')] }, { minItems: 1, uniqueItems: true }) },
    definitions,
  };
}

/**
 * The names of the date fields of the schemas (every one is an xs:date in the XSDs): `validate
 * --decp` checks them as xs:date in records read from XML, in place of the JSON pattern.
 */
export function decpDateFields(): Set<string> {
  const patterns = new Set([DATE_2019['pattern'], DATE_2024['pattern']]);
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const props = (v as Schema)['properties'];
      if (props !== null && typeof props === 'object') for (const [k, x] of Object.entries(props as Schema)) if (patterns.has((x as Schema)['pattern'])) out.add(k);
      Object.values(v).forEach(walk);
    }
  };
  walk(decp2019Schema());
  walk(decp2024Schema());
  walk(decp2024InterimSchema());
  return out;
}
