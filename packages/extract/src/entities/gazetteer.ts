/**
 * A compact gazetteer written for this package: countries (with other names and demonyms) and
 * major cities, regions and capitals. Format per country: "Canonical|alias;alias|demonym;demonym".
 */
const COUNTRIES = `Afghanistan||Afghan;Afghans
Albania||Albanian
Algeria||Algerian
Angola||Angolan
Argentina||Argentine;Argentinian
Armenia||Armenian
Australia||Australian;Australians
Austria||Austrian
Azerbaijan||Azerbaijani
Bahrain||Bahraini
Bangladesh||Bangladeshi
Belarus||Belarusian
Belgium||Belgian
Bolivia||Bolivian
Bosnia and Herzegovina|Bosnia|Bosnian
Brazil||Brazilian;Brazilians
Bulgaria||Bulgarian
Cambodia||Cambodian
Cameroon||Cameroonian
Canada||Canadian;Canadians
Chile||Chilean
China|People's Republic of China;PRC|Chinese
Colombia||Colombian
Congo|Democratic Republic of Congo;DRC|Congolese
Costa Rica||Costa Rican
Croatia||Croatian
Cuba||Cuban;Cubans
Cyprus||Cypriot
Czech Republic|Czechia|Czech
Denmark||Danish;Dane;Danes
Ecuador||Ecuadorian
Egypt||Egyptian;Egyptians
El Salvador||Salvadoran
Estonia||Estonian
Ethiopia||Ethiopian
Finland||Finnish;Finn;Finns
France||French
Georgia||Georgian
Germany||German;Germans
Ghana||Ghanaian
Greece||Greek;Greeks
Guatemala||Guatemalan
Haiti||Haitian
Honduras||Honduran
Hungary||Hungarian
Iceland||Icelandic
India||Indian;Indians
Indonesia||Indonesian
Iran|Islamic Republic of Iran;Persia|Iranian;Iranians
Iraq||Iraqi;Iraqis
Ireland|Republic of Ireland;Eire|Irish
Israel||Israeli;Israelis
Italy||Italian;Italians
Ivory Coast|Cote d'Ivoire;Côte d'Ivoire|Ivorian
Jamaica||Jamaican
Japan||Japanese
Jordan||Jordanian
Kazakhstan||Kazakh
Kenya||Kenyan
Kosovo||Kosovar
Kuwait||Kuwaiti
Kyrgyzstan||Kyrgyz
Laos||Laotian
Latvia||Latvian
Lebanon||Lebanese
Libya||Libyan
Lithuania||Lithuanian
Luxembourg||Luxembourgish
Malaysia||Malaysian
Mali||Malian
Mexico||Mexican;Mexicans
Moldova||Moldovan
Mongolia||Mongolian
Montenegro||Montenegrin
Morocco||Moroccan
Mozambique||Mozambican
Myanmar|Burma|Burmese
Nepal||Nepalese;Nepali
Netherlands|Holland;The Netherlands|Dutch
New Zealand||New Zealander
Nicaragua||Nicaraguan
Niger||Nigerien
Nigeria||Nigerian;Nigerians
North Korea|DPRK|North Korean;North Koreans
North Macedonia|Macedonia|Macedonian
Norway||Norwegian
Oman||Omani
Pakistan||Pakistani;Pakistanis
Palestine|Palestinian Territories|Palestinian;Palestinians
Panama||Panamanian
Paraguay||Paraguayan
Peru||Peruvian
Philippines||Filipino;Philippine
Poland||Polish;Pole;Poles
Portugal||Portuguese
Qatar||Qatari
Romania||Romanian
Russia|Russian Federation|Russian;Russians
Rwanda||Rwandan
Saudi Arabia||Saudi;Saudis
Senegal||Senegalese
Serbia||Serbian;Serb;Serbs
Singapore||Singaporean
Slovakia||Slovak
Slovenia||Slovenian
Somalia||Somali
South Africa||South African
South Korea|Republic of Korea|South Korean;South Koreans
South Sudan||South Sudanese
Spain||Spanish;Spaniard
Sri Lanka||Sri Lankan
Sudan||Sudanese
Sweden||Swedish;Swede;Swedes
Switzerland||Swiss
Syria||Syrian;Syrians
Taiwan||Taiwanese
Tajikistan||Tajik
Tanzania||Tanzanian
Thailand||Thai
Tunisia||Tunisian
Turkey|Türkiye|Turkish;Turk;Turks
Turkmenistan||Turkmen
Uganda||Ugandan
Ukraine||Ukrainian;Ukrainians
United Arab Emirates|UAE|Emirati
United Kingdom|UK;U.K.;Britain;Great Britain|British;Briton;Britons
United States|US;U.S.;USA;U.S.A.;United States of America;America|American;Americans
Uruguay||Uruguayan
Uzbekistan||Uzbek
Venezuela||Venezuelan
Vietnam|Viet Nam|Vietnamese
Yemen||Yemeni
Zambia||Zambian
Zimbabwe||Zimbabwean`;

/** Capitals, major cities and regions that news names without a country. */
const CITIES_AND_REGIONS = `Abu Dhabi;Accra;Addis Ababa;Aleppo;Algiers;Amman;Amsterdam;Ankara;Athens;Atlanta;Auckland;Baghdad;Baku;Bali;Bangkok;Barcelona;Basra;Beijing;Beirut;Belfast;Belgrade;Benghazi;Berlin;Bogota;Boston;Brasilia;Brussels;Bucharest;Budapest;Buenos Aires;Cairo;Calcutta;Canberra;Cape Town;Caracas;Chicago;Copenhagen;Dakar;Damascus;Delhi;New Delhi;Dhaka;Doha;Dubai;Dublin;Edinburgh;Fallujah;Frankfurt;Gaza;Geneva;Hamburg;Hanoi;Havana;Helsinki;Ho Chi Minh City;Hong Kong;Houston;Islamabad;Istanbul;Jakarta;Jerusalem;Johannesburg;Kabul;Kampala;Kandahar;Karachi;Kathmandu;Khartoum;Kiev;Kyiv;Kinshasa;Kirkuk;Kuala Lumpur;Kuwait City;Lagos;Lahore;Las Vegas;Lima;Lisbon;London;Los Angeles;Luanda;Madrid;Managua;Manila;Mecca;Melbourne;Mexico City;Miami;Milan;Minsk;Mogadishu;Montreal;Moscow;Mosul;Mumbai;Munich;Nairobi;Najaf;New York;Nicosia;Oslo;Ottawa;Paris;Philadelphia;Prague;Pyongyang;Quito;Rabat;Ramallah;Riga;Rio de Janeiro;Riyadh;Rome;San Francisco;Santiago;Sao Paulo;Sarajevo;Seattle;Seoul;Shanghai;Singapore;Sofia;Stockholm;Sydney;Taipei;Tashkent;Tbilisi;Tehran;Tel Aviv;Tikrit;Tokyo;Toronto;Tripoli;Tunis;Vancouver;Vienna;Vilnius;Warsaw;Washington;Wellington;Yerevan;Zagreb;Zurich;Middle East;Gulf;Persian Gulf;Europe;Asia;Africa;Latin America;South America;North America;Central Asia;Southeast Asia;Balkans;Caucasus;Kurdistan;Darfur;Kashmir;West Bank;Gaza Strip;Golan Heights;Crimea;Chechnya;Tibet;Xinjiang;Scotland;Wales;England;Northern Ireland;Bavaria;California;Texas;Florida;Quebec;Ontario;Diyala;Anbar;Helmand;Sinai`;

export interface PlaceEntry {
  canonical: string;
  /** True when the surface form is a demonym ("Iranian"). */
  demonym: boolean;
}

function build(): Map<string, PlaceEntry> {
  const map = new Map<string, PlaceEntry>();
  for (const line of COUNTRIES.split('\n')) {
    const [canonical, aliases, demonyms] = line.split('|') as [string, string, string];
    map.set(canonical.toLowerCase(), { canonical, demonym: false });
    for (const alias of aliases.split(';').filter(Boolean))
      map.set(alias.toLowerCase(), { canonical, demonym: false });
    for (const demonym of demonyms.split(';').filter(Boolean))
      map.set(demonym.toLowerCase(), { canonical, demonym: true });
  }
  for (const name of CITIES_AND_REGIONS.split(';')) {
    if (!map.has(name.toLowerCase())) map.set(name.toLowerCase(), { canonical: name, demonym: false });
  }
  return map;
}

/** Lower-cased surface form ("u.s.", "the united states" without "the", "iranian") → place. */
export const PLACES: ReadonlyMap<string, PlaceEntry> = build();

/** Well-known organisations that carry no cue word, with their other names. Canonical first. */
const ORGANISATIONS = `United Nations|UN;U.N.
European Union|EU;E.U.
North Atlantic Treaty Organization|NATO;Nato
International Monetary Fund|IMF
World Health Organization|WHO
International Atomic Energy Agency|IAEA
Organization of the Petroleum Exporting Countries|OPEC
Central Intelligence Agency|CIA
Federal Bureau of Investigation|FBI
Reuters|
Associated Press|AP
Agence France-Presse|AFP
BBC|British Broadcasting Corporation
CNN|
Al Jazeera|Al-Jazeera
Hamas|
Taliban|
al-Qaeda|al Qaeda;Al-Qaeda;Al Qaeda;al-Qaida
Pentagon|
Kremlin|
White House|
Google|
Apple|
Microsoft|
Amazon|
Facebook|Meta`;

export const KNOWN_ORGANISATIONS: ReadonlyMap<string, string> = new Map(
  ORGANISATIONS.split('\n').flatMap((line) => {
    const [canonical, aliases] = line.split('|') as [string, string];
    return [canonical, ...aliases.split(';').filter(Boolean)].map(
      (form) => [form.toLowerCase(), canonical] as const,
    );
  }),
);
