/** Code lists that the schemas close (facts of ISO 4217 as OCDS 1.1.5 lists them, and ISO 3166-1 alpha-2 plus XK). */

const words = (text: string): string[] => text.trim().split(/\s+/);

/** Currency codes (OCDS currency codelist, current and historic ISO 4217). */
export const CURRENCIES: readonly string[] = words(`
ADP AED AFA AFN ALK ALL AMD ANG AOA AOK AON AOR ARA ARP ARS ARY ATS AUD AWG AYM AZM AZN BAD BAM
BBD BDT BEC BEF BEL BGJ BGK BGL BGN BHD BIF BMD BND BOB BOP BOV BRB BRC BRE BRL BRN BRR BSD BTN
BUK BWP BYB BYN BYR BZD CAD CDF CHC CHE CHF CHW CLF CLP CNY COP COU CRC CSD CSJ CSK CUC CUP CVE
CYP CZK DDM DEM DJF DKK DOP DZD ECS ECV EEK EGP ERN ESA ESB ESP ETB EUR FIM FJD FKP FRF GBP GEK
GEL GHC GHP GHS GIP GMD GNE GNF GNS GQE GRD GTQ GWE GWP GYD HKD HNL HRD HRK HTG HUF IDR IEP ILP
ILR ILS INR IQD IRR ISJ ISK ITL JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAJ LAK LBP LKR
LRD LSL LSM LTL LTT LUC LUF LUL LVL LVR LYD MAD MDL MGA MGF MKD MLF MMK MNT MOP MRO MRU MTL MTP
MUR MVQ MVR MWK MXN MXP MXV MYR MZE MZM MZN NAD NGN NIC NIO NLG NOK NPR NZD OMR PAB PEH PEI PEN
PES PGK PHP PKR PLN PLZ PTE PYG QAR RHD ROK ROL RON RSD RUB RUR RWF SAR SBD SCR SDD SDG SDP SEK
SGD SHP SIT SKK SLL SOS SRD SRG SSP STD STN SUR SVC SYP SZL THB TJR TJS TMM TMT TND TOP TPE TRL
TRY TTD TWD TZS UAH UAK UGS UGW UGX USD USN USS UYI UYN UYP UYU UYW UZS VEB VEF VES VNC VND VUV
WST XAF XAG XAU XBA XBB XBC XBD XCD XDR XEU XFO XFU XOF XPD XPF XPT XRE XSU XTS XUA XXX YDD YER
YUD YUM YUN ZAL ZAR ZMK ZMW ZRN ZRZ ZWC ZWD ZWL ZWN ZWR
`);

/** Country codes (ISO 3166-1 alpha-2, and XK). */
export const COUNTRIES: readonly string[] = words(`
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN
CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK
FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP
NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS XK YE YT ZA ZM ZW
`);

/** Open codelists: codes outside them are reported as warnings, not schema errors (facts of OCDS 1.1.5 and the declared extensions). */
export const PARTY_ROLES: readonly string[] = words(`buyer procuringEntity supplier tenderer funder enquirer payer payee reviewBody interestedParty subcontractor`);
export const ITEM_CLASSIFICATION_SCHEMES: readonly string[] = words(`CPV CPVS GSIN UNSPSC CPC OKDP OKPD CUCOP NAICS PSC HS`);
export const RELATED_PROCESSES: readonly string[] = words(`framework planning parent prior unsuccessfulProcess subContract replacementProcess renewalProcess`);
export const RELATED_PROCESS_SCHEMES: readonly string[] = words(`ocid`);
/** OCDS 1.1.5's document types and those the tariffs extension adds (`+documentType.csv`). */
export const DOCUMENT_TYPES: readonly string[] = words(`plannedProcurementNotice tenderNotice awardNotice contractNotice completionCertificate procurementPlan biddingDocuments technicalSpecifications evaluationCriteria evaluationReports contractDraft contractSigned contractArrangements contractSchedule physicalProgressReport financialProgressReport finalAudit hearingNotice marketStudies eligibilityCriteria clarifications shortlistedFirms environmentalImpact assetAndLiabilityAssessment riskProvisions winningBid complaints contractAnnexe contractGuarantees subContract needsAssessment feasibilityStudy projectPlan billOfQuantity bidders conflictOfInterest debarments illustration submissionDocuments contractSummary cancellationDetails tariffs tariffMethod tariffReview tariffIllustration`);
/** The last four are deprecated in 1.1.5 but still codes of the list: no warning for them. */
export const AWARD_CRITERIA: readonly string[] = words(`priceOnly costOnly qualityOnly ratedCriteria lowestCost bestProposal bestValueToGovernment singleBidOnly`);
export const SUBMISSION_METHODS: readonly string[] = words(`electronicSubmission electronicAuction written inPerson`);
export const EXTENDED_PROCUREMENT_CATEGORIES: readonly string[] = words(`goods works services consultingServices`);
export const UNIT_CLASSIFICATION_SCHEMES: readonly string[] = words(`UNCEFACT QUDT`);
export const MILESTONE_TYPES: readonly string[] = words(`preProcurement approval engagement assessment delivery reporting financing payment`);
export const SUSTAINABILITY_GOALS: readonly string[] = words(`economic economic.formalEmploymentPromotion economic.innovativePurchase economic.localEconomyPromotion economic.marketInnovationPromotion economic.processInnovationPromotion economic.productInnovationPromotion economic.researchDevelopmentActivities environmental environmental.biodiversityProtectionRestoration environmental.carbonEmissionsReduction environmental.circularEconomy environmental.climateChangeAdaptation environmental.climateChangeMitigation environmental.energyEfficiency environmental.pollutionPrevention environmental.recycling environmental.resourceReuse environmental.waterResourcesProtection environmental.wasteReduction social social.accessibility social.disadvantagedEmploymentOpportunities social.ethnicEquality social.genderEquality social.humanRightsInSupplyChains social.laborRightsPromotion social.smeInclusion social.womenInclusion`);
export const SUSTAINABILITY_STRATEGIES: readonly string[] = words(`awardCriteria contractPerformanceConditions marginOfPreference reservedParticipation selectionCriteria technicalSpecifications euGPPCriteria nationalGPPCriteria otherGPPCriteria`);
export const LOCATION_GAZETTEERS: readonly string[] = words(`NUTS ISO2 GEONAMES OSMN OSMR OSMW`);
export const STATISTIC_MEASURES: readonly string[] = words(`requests bids validBids disqualifiedBids lowestValidBidValue highestValidBidValue bidders qualifiedBidders disqualifiedBidders electronicBids microBids smeBids smallBids mediumBids foreignBids foreignBidsFromEU foreignBidsFromNonEU tendersAbnormallyLow`);
