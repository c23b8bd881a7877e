/** Word lists that the entity rules key on, all lower-case. Written for this package. */
const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean));

/** Honorifics and titles written before a person's name ("Mr", "Foreign Minister", "Brig Gen"). */
export const PERSON_TITLES = words(`
mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame lord lady rev rev. reverend father sister
president vice-president prime premier minister secretary chancellor ambassador envoy spokesman spokeswoman
spokesperson senator sen sen. rep rep. representative congressman congresswoman governor gov gov. mayor
king queen prince princess sheikh shaikh sheik ayatollah imam pope cardinal bishop rabbi judge justice
general gen gen. brig brig. brigadier colonel col col. lt lt. lieutenant major maj maj. captain capt capt.
sergeant sgt sgt. admiral adm adm. commander marshal chief director chairman chairwoman chair ceo cfo
foreign defence defense interior finance deputy acting former chief-of-staff coach detective inspector
officer agent correspondent reporter editor analyst commissioner superintendent constable
`);

/** Title words that only count at the start of a title sequence when followed by another title word. */
export const TITLE_QUALIFIERS = words(
  'foreign defence defense interior finance deputy acting former vice chief',
);

/** Lower-case role nouns that, right before a name ("spokesman Sean McCormack"), make it a person. */
export const PERSON_ROLES = words(`
spokesman spokeswoman spokesperson minister ambassador envoy counterpart president leader official
secretary correspondent reporter editor analyst chief director chairman general commander cleric
premier senator governor mayor lawyer attorney judge prosecutor professor researcher author writer
actor actress singer player coach manager founder executive adviser advisor aide negotiator diplomat
colleague successor predecessor rival candidate colonel captain officer
`);

/** Words that end an organisation's name ("State Department", "Quds Force", "Acme Inc"). */
export const ORG_CUES = words(`
department ministry force forces agency party council committee commission association union bank
corporation corp corp. inc inc. ltd ltd. llc plc company co co. group university college institute
organization organisation guard guards army navy police court parliament congress senate assembly
office service services authority fund foundation board network federation league alliance coalition
front movement brigade brigades battalion regiment militia church trust bureau administration
cabinet government club society times post herald journal tribune telegraph gazette news television
radio press airlines airways motors industries holdings partners studio studios museum hospital school
electronics chiefs crescent cross
`);

/** Lower-case nouns that, right after a name, make it an organisation ("Hezbollah fighter"). */
export const MEMBER_NOUNS = words(`
fighter fighters agent agents militant militants member members guerrilla guerrillas operative operatives
supporter supporters leader leaders leadership official officials spokesman spokeswoman commander
commanders activist activists lawmaker lawmakers movement militia militias group faction wing
`);

/** Lower-case nouns that, right after a name, make it a place ("Diyala province"). */
export const PLACE_CUES = words(
  'province region district city county state river island islands valley mountains desert sea gulf bay strait crossing border airport port',
);

/** Verbs of speech that follow a speaker ("McCormack said"). */
export const SPEECH_VERBS = words(`
said says say told tells added adds stated states declared declares asked asks announced announces
insisted insists warned warns argued argues explained explains noted notes claimed claims admitted admits
replied replies continued continues wrote writes according
`);

/**
 * Capitalised words that are not names on their own: sentence starters, pronouns, weekdays and
 * months, and common headline words.
 */
export const NOT_NAMES = words(`
a an the this that these those there here it its it's he she they we i you his her their our my your
and but or nor so yet for if when while after before since until because although though as at by in
on of to from with without within into onto over under about above below between among through during
despite per via not no yes all any both each every few many more most much some such other another
what which who whom whose where why how one two three four five six seven eight nine ten first second
third last next new old also just only even still then now today yesterday tomorrow tonight meanwhile
however moreover monday tuesday wednesday thursday friday saturday sunday january february
march april may june july august september october november december mon tue wed thu fri sat sun
jan feb mar apr jun jul aug sep sept oct nov dec posted updated published read share follow home
news politics business sport sports video photo photos related more click watch live breaking
latest top story stories page copyright privacy terms contact about advertisement advertise subscribe
sign log login join email print comments comment reply report reports officials relations ties
shi'ite shiite shia sunni kurdish muslim muslims christian christians jewish catholic arab arabs islamic
western eastern northern southern central
`);

/** Words that split a capitalised run in two ("Tuesday U.S. officials"): weekdays, months, function words. */
export const RUN_SPLITTERS = words(`
the a an and or but nor in on at by to from with for as that this these those it its he she they we i
monday tuesday wednesday thursday friday saturday sunday january february march april june july august
september october november december
`);

/** Lower-case prepositions after which a lone capitalised word is a place ("in Izmir"). */
export const PLACE_PREPOSITIONS = words('in near outside across throughout from');

/** Prepositions that, before a name of several words none of which is a given name, make it a place ("strikes on Khan Younis"). */
export const PLACE_PREPOSITIONS_FOR_RUNS = words('in near outside across throughout from on at into');

/** Verbs whose object is usually a place ("shelling Omdurman", "visited Natanz", "retake Idlib"). */
export const PLACE_VERBS = words(`
visit visits visited visiting tour toured touring shell shells shelled shelling bomb bombs bombed bombing
retake retakes retook retaking recapture recaptured capture captured seize seized enter entered besiege
besieged evacuate evacuated liberate liberated occupy occupied raid raided invade invaded
`);
