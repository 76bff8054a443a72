/**
 * Synthetic DECP generator for benchmarks: realistic field distributions
 * (procedures, CPV, 1–3 suppliers, ~20% with 1–3 modifications, some concessions),
 * deterministic (seeded), written in a streaming way.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** The project's seeded generator (src/core/random.ts), so that data sets are the same run after run. */
export { seededRandom as rng } from '../dist/core/random.js';
import { seededRandom } from '../dist/core/random.js';

const PROCEDURES = ['Procédure adaptée', 'Procédure adaptée', 'Procédure adaptée', "Appel d'offres ouvert", "Appel d'offres restreint", 'Procédure avec négociation', 'Marché passé sans publicité ni mise en concurrence préalable', 'Dialogue compétitif'];
const CPVS = ['45000000', '45210000', '45320000', '71000000', '79952000', '90513500', '30192000', '33600000', '72000000', '77313000', '15800000', '50700000'];
const OBJETS = ['Travaux de réfection de la voirie communale', 'Prestations de maîtrise d\'œuvre pour la construction d\'un groupe scolaire', 'Fourniture de denrées alimentaires pour la restauration collective', 'Entretien des espaces verts', 'Maintenance des installations de chauffage, ventilation et climatisation', 'Lot 3 : Menuiseries extérieures — aluminium', 'Accord-cadre de fournitures de bureau et de papeterie', 'Nettoyage des locaux administratifs'];
const NATURES = ['Marché', 'Marché', 'Marché', 'Accord-cadre', 'Marché subséquent'];

function pick(r, list) { return list[Math.floor(r() * list.length)]; }
function digits(r, n) { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(r() * 10); return s; }
/**
 * A SIRET: 14 digits whose Luhn check holds, as nearly all published ones do; 2 % are random digits
 * (most fail the check), more than the real files have (about 0.5 % of the samples' SIRETs).
 */
function siret(r) {
  if (r() < 0.02) return digits(r, 14);
  const body = digits(r, 13);
  let sum = 0;
  for (let i = 0; i < 13; i++) {
    // from the right, every second digit is doubled: with the check digit last, the even positions
    const d = body.charCodeAt(i) - 48;
    sum += i % 2 === 0 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
  }
  return body + String((10 - (sum % 10)) % 10);
}
function date(r, y0, y1) {
  const y = y0 + Math.floor(r() * (y1 - y0 + 1));
  const m = 1 + Math.floor(r() * 12);
  const d = 1 + Math.floor(r() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
/** A date `days` after an ISO date (YYYY-MM-DD). */
function after(iso, days) {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);
}
function amount(r) { return Math.round(Math.exp(8 + r() * 8) * 100) / 100; }

export function marche2024(r, i) {
  const nTit = 1 + Math.floor(r() * r() * 3);
  const titulaires = [];
  for (let k = 0; k < nTit; k++) titulaires.push({ titulaire: { typeIdentifiant: 'SIRET', id: siret(r) } });
  const rec = {
    id: `${2020 + (i % 5)}-${digits(r, 3)}-${String(i % 100).padStart(2, '0')}`,
    acheteur: { id: siret(r) },
    nature: pick(r, NATURES),
    objet: pick(r, OBJETS),
    codeCPV: pick(r, CPVS),
    procedure: pick(r, PROCEDURES),
    lieuExecution: { code: digits(r, 5), typeCode: 'Code postal' },
    dureeMois: 1 + Math.floor(r() * 48),
    dateNotification: date(r, 2019, 2024),
    datePublicationDonnees: null, // set below: the data is published 0–90 days after notification
    montant: amount(r),
    formePrix: pick(r, ['Forfaitaire', 'Unitaire', 'Mixte']),
    attributionAvance: r() < 0.3,
    offresRecues: 1 + Math.floor(r() * 12),
    marcheInnovant: false,
    ccag: pick(r, ['Travaux', 'Fournitures courantes et services', 'Pas de CCAG', 'Prestations intellectuelles']),
    sousTraitanceDeclaree: r() < 0.2,
    typeGroupementOperateurs: nTit > 1 ? 'Conjoint' : 'Pas de groupement',
    titulaires,
    considerationsSociales: { considerationSociale: [r() < 0.2 ? 'Clause sociale' : 'Pas de considération sociale'] },
    considerationsEnvironnementales: { considerationEnvironnementale: [r() < 0.2 ? 'Clause environnementale' : 'Pas de considération environnementale'] },
    modalitesExecution: { modaliteExecution: ['Sans objet'] },
    techniques: { technique: [r() < 0.3 ? 'Accord-cadre' : 'Sans objet'] },
    typesPrix: { typePrix: ['Définitif révisable'] },
  };
  rec.datePublicationDonnees = after(rec.dateNotification, Math.floor(r() * 91));
  if (r() < 0.2) {
    const n = 1 + Math.floor(r() * 3);
    rec.modifications = [];
    for (let k = 1; k <= n; k++) {
      // modifications while the contract runs, published within a month
      const notified = after(rec.dateNotification, k * (30 + Math.floor(r() * 60)));
      rec.modifications.push({ modification: { id: k, dureeMois: rec.dureeMois + k, montant: Math.round(rec.montant * (1 + k / 10)), dateNotificationModification: notified, datePublicationDonneesModification: after(notified, Math.floor(r() * 31)), titulaires: rec.titulaires } });
    }
  } else rec.modifications = [];
  return rec;
}

export function concession2024(r, i) {
  return {
    id: `CC-${i}`,
    autoriteConcedante: { id: siret(r) },
    nature: 'Délégation de service public',
    objet: 'Exploitation du service public de la restauration scolaire',
    procedure: 'Procédure non négociée ouverte',
    dureeMois: 60,
    dateSignature: date(r, 2020, 2024),
    dateDebutExecution: date(r, 2020, 2024),
    datePublicationDonnees: date(r, 2024, 2024),
    valeurGlobale: amount(r) * 10,
    montantSubventionPublique: 0,
    concessionnaires: [{ concessionnaire: { typeIdentifiant: 'SIRET', id: siret(r) } }],
    donneesExecution: [{ donneesAnnuelles: { datePublicationDonneesExecution: date(r, 2024, 2024), depensesInvestissement: amount(r), tarifs: [{ tarif: { intituleTarif: 'Repas enfant', tarif: 3.2 } }] } }],
    modifications: [],
  };
}

/** 2019 records: flat, with names, pretty-printed as publishers did. */
export function marche2019(r, i) {
  const m = marche2024(r, i);
  const rec = {
    _type: 'Marché',
    id: `2019${digits(r, 6)}00`,
    acheteur: { id: m.acheteur.id, nom: 'Commune de Saint-Étienne-du-Rouvray' },
    nature: m.nature,
    objet: m.objet,
    codeCPV: `${m.codeCPV}-${digits(r, 1)}`,
    procedure: m.procedure,
    lieuExecution: { code: m.lieuExecution.code, typeCode: 'Code postal', nom: 'Rouen' },
    dureeMois: m.dureeMois,
    dateNotification: m.dateNotification,
    datePublicationDonnees: m.datePublicationDonnees,
    montant: m.montant,
    formePrix: pick(r, ['Ferme', 'Révisable', 'Ferme et actualisable']),
    titulaires: m.titulaires.map((t) => ({ typeIdentifiant: 'SIRET', id: t.titulaire.id, denominationSociale: 'SARL Bâtiment Génie Civil' })),
    modifications: (m.modifications || []).map((x) => ({ objetModification: 'Avenant n°1', dateNotificationModification: x.modification.dateNotificationModification, datePublicationDonneesModification: x.modification.datePublicationDonneesModification, montant: x.modification.montant, dureeMois: x.modification.dureeMois, titulaires: [] })),
  };
  return rec;
}

/** Escape non-ASCII as \uXXXX, as the 2024 publishers do. */
function asciiJson(value) {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Write a synthetic DECP file. format: '2024' (one line, \u-escaped, wrapped lists,
 * 1% concessions) or '2019' (pretty-printed flat list).
 */
export async function writeSynthetic(path, format, count, seed = 42) {
  const r = seededRandom(seed);
  const out = createWriteStream(path);
  const write = async (s) => { if (!out.write(s)) await once(out, 'drain'); };
  let batch = '';
  if (format === '2024') {
    const nConc = Math.floor(count / 100);
    await write('{"marches":{"marche":[');
    for (let i = 0; i < count - nConc; i++) {
      batch += (i ? ',' : '') + asciiJson(marche2024(r, i));
      if (batch.length > 1 << 20) { await write(batch); batch = ''; }
    }
    batch += '],"contrat-concession":[';
    for (let i = 0; i < nConc; i++) {
      batch += (i ? ',' : '') + asciiJson(concession2024(r, i));
      if (batch.length > 1 << 20) { await write(batch); batch = ''; }
    }
    batch += ']}}';
  } else {
    await write('{\n  "marches": [\n');
    for (let i = 0; i < count; i++) {
      batch += (i ? ',\n' : '') + JSON.stringify(marche2019(r, i), null, 2).replace(/^/gm, '    ');
      if (batch.length > 1 << 20) { await write(batch); batch = ''; }
    }
    batch += '\n  ]\n}\n';
  }
  await write(batch);
  out.end();
  await once(out, 'finish');
}

/**
 * A daily delivery's republished contracts: `count` marchés of an earlier 2024 file notified in its
 * last year (contracts are modified while they run: 1 to 48 months here), spread evenly over the
 * file, each with one more modification, as a new 2024 file. Their ocids are already published (a
 * real nightly file mixes new contracts and these).
 */
export async function writeRepublished(srcPath, outPath, count) {
  const { readFile, writeFile } = await import('node:fs/promises');
  const all = JSON.parse(await readFile(srcPath, 'utf8')).marches.marche.filter((m) => m.dateNotification >= '2024-01-01');
  const step = Math.max(1, Math.floor(all.length / count));
  const picked = [];
  for (let i = 0; i < all.length && picked.length < count; i += step) {
    const rec = all[i];
    const n = rec.modifications.length;
    rec.modifications.push({ modification: { id: n + 1, dureeMois: rec.dureeMois + 6, montant: Math.round(rec.montant * 1.2), dateNotificationModification: '2025-03-03', datePublicationDonneesModification: '2025-03-10', titulaires: rec.titulaires } });
    picked.push(asciiJson(rec));
  }
  await writeFile(outPath, `{"marches":{"marche":[${picked.join(',')}]}}`);
}
