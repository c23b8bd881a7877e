/**
 * Month names and abbreviations (nominative and genitive forms) in the languages most common in
 * news, lower-cased, mapped to 1-12. Written here; ambiguous short forms ("mar", "mai") map to the
 * month they mean in every listed language that uses them.
 */
const MONTH_FORMS: readonly string[][] = [
  // 1
  'january jan janvier janv jänner januar jän enero ene gennaio gen janeiro januari januar stycznia styczeń styczen января январь ocak tammikuuta leden ledna január janar ιανουαρίου'.split(
    ' ',
  ),
  // 2
  'february feb février fevrier févr fevr februar febrero febbraio fevereiro fev februari lutego luty февраля февраль şubat subat helmikuuta únor února február φεβρουαρίου'.split(
    ' ',
  ),
  // 3
  'march mar mars märz maerz mär marzo março marco maart maret marca marzec марта март mart maaliskuuta březen března március μαρτίου'.split(
    ' ',
  ),
  // 4
  'april apr avril avr abril abr aprile aprilie kwietnia kwiecień kwiecien апреля апрель nisan huhtikuuta duben dubna április απριλίου'.split(
    ' ',
  ),
  // 5
  'may mai mayo maggio mag maio mei maj maja мая май mayıs mayis toukokuuta květen května május μαΐου'.split(
    ' ',
  ),
  // 6
  'june jun juin juni junio giugno giu junho czerwca czerwiec июня июнь haziran kesäkuuta červen června június ιουνίου'.split(
    ' ',
  ),
  // 7
  'july jul juillet juil juli julio luglio lug julho lipca lipiec июля июль temmuz heinäkuuta červenec července július ιουλίου'.split(
    ' ',
  ),
  // 8
  'august aug août aout agosto ago augustus agustus augusti sierpnia sierpień sierpien августа август ağustos agustos elokuuta srpen srpna augusztus αυγούστου'.split(
    ' ',
  ),
  // 9
  'september sep sept septembre septiembre setiembre settembre set setembro septembre września wrzesień wrzesien сентября сентябрь eylül eylul syyskuuta září szeptember σεπτεμβρίου'.split(
    ' ',
  ),
  // 10
  'october oct octobre oktober okt octubre ottobre ott outubro out października październik pazdziernika октября октябрь ekim lokakuuta říjen října október οκτωβρίου'.split(
    ' ',
  ),
  // 11
  'november nov novembre noviembre novembro novemb listopada listopad ноября ноябрь kasım kasim marraskuuta listopadu november νοεμβρίου'.split(
    ' ',
  ),
  // 12
  'december dec décembre decembre déc dezember dez diciembre dic dicembre dezembro desember december grudnia grudzień grudzien декабря декабрь aralık aralik joulukuuta prosinec prosince δεκεμβρίου'.split(
    ' ',
  ),
];

/** Arabic: the Egyptian/Gulf names, then the Levantine ones ("_" stands for the space inside a name). */
const ARABIC_MONTH_FORMS: readonly string[] = [
  'يناير كانون_الثاني',
  'فبراير شباط',
  'مارس آذار',
  'أبريل إبريل ابريل نيسان',
  'مايو أيار',
  'يونيو يونيه حزيران',
  'يوليو يوليه تموز',
  'أغسطس آب',
  'سبتمبر أيلول',
  'أكتوبر اكتوبر تشرين_الأول',
  'نوفمبر تشرين_الثاني',
  'ديسمبر كانون_الأول',
];

export const MONTHS: ReadonlyMap<string, number> = new Map([
  ...MONTH_FORMS.flatMap((forms, index) => forms.map((form) => [form, index + 1] as const)),
  ...ARABIC_MONTH_FORMS.flatMap((forms, index) =>
    forms.split(' ').map((form) => [form.replace('_', ' '), index + 1] as const),
  ),
]);

/** Regex alternation of every month form, longest first so "juillet" wins over "juil". */
export const MONTH_PATTERN = [...MONTHS.keys()].sort((a, b) => b.length - a.length).join('|');
