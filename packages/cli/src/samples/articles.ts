/**
 * Sample articles that ship with Sluice: written for this project (fictional events, outlets
 * and people), each wrapped in the kind of page chrome real sites add, so a newcomer sees the
 * cleaner at work. Used by `sluice start` on an empty index, the demo feed and benchmarks.
 */
export interface SampleArticle {
  slug: string;
  source: string;
  headline: string;
  publishedAt: string;
  author: string;
  paragraphs: string[];
}

export const SAMPLE_ARTICLES: SampleArticle[] = [
  {
    slug: 'harbour-bridge-reopens',
    source: 'Northern Ledger',
    headline: 'Harbour bridge reopens after eight months of repairs',
    publishedAt: '2026-03-14T07:30:00+01:00',
    author: 'Ingrid Halvorsen',
    paragraphs: [
      'The Kessling harbour bridge reopened to traffic on Saturday morning, eight months after engineers closed it when inspectors found corrosion in two of its main cables.',
      "Mayor Tomas Brandt cut a ribbon at the northern approach shortly after seven o'clock, as a queue of delivery vans waited behind a police cordon.",
      '"This bridge carries forty thousand people a day, and every one of them has been patient with us," Mr Brandt said. "Today we give them their mornings back."',
      'The repairs cost 61 million euros, about a fifth more than the city council budgeted last summer. The Regional Transport Authority said higher steel prices accounted for most of the difference.',
      'Engineers replaced both cables and fitted sensors that report strain every few seconds to a monitoring centre run by the authority. Brandt said the data would be published online.',
      'Ferry operators, who added sailings while the bridge was shut, said they would return to their winter timetable from Monday.',
    ],
  },
  {
    slug: 'drought-wheat-harvest',
    source: 'Prairie Courier',
    headline: 'Drought cuts wheat harvest forecast by a quarter',
    publishedAt: '2026-07-02T16:05:00-05:00',
    author: 'Marcus Delaney',
    paragraphs: [
      'Farmers across the Red Plains region expect to harvest a quarter less wheat than last year after the driest spring in six decades, the Agriculture Ministry said on Thursday.',
      'The ministry now forecasts a crop of 11.2 million tonnes, down from 15 million in 2025. Rain in late June came too late to help most winter wheat, it said.',
      'Agriculture Minister Helena Voss told reporters in Cedar Falls that the government would extend low-interest loans to growers whose yields fell by more than half.',
      '"Nobody in this industry can control the weather, but we can make sure a bad year does not become the end of a family farm," Ms Voss said.',
      'The Plains Grain Growers Association welcomed the loans but said they would not cover the cost of feed for cattle, which has risen sharply as pastures dried out.',
      'Futures prices for wheat rose 4 percent on the news before easing in afternoon trading.',
    ],
  },
  {
    slug: 'orchestra-new-conductor',
    source: 'Capital Arts Review',
    headline: 'City orchestra names Ana Ferreira as its first woman conductor',
    publishedAt: '2026-09-21T11:00:00+00:00',
    author: 'Julien Mercer',
    paragraphs: [
      'The Lindmoor Symphony Orchestra has appointed the Portuguese conductor Ana Ferreira as its music director, the first woman to lead the ensemble in its 112-year history.',
      'Ferreira, 41, will take up the post in September next year, succeeding Viktor Lang, who is retiring after fourteen seasons.',
      'She said she planned to devote a third of each season to music written in the last fifty years and to take the orchestra on a tour of South America in 2028.',
      '"An orchestra is a promise a city makes to itself," Ferreira said at a news conference at the Lindmoor Concert Hall. "I want to keep that promise to people who have never bought a ticket."',
      "The orchestra's board chair, Ruth Okafor, said Ferreira had been the unanimous choice of a search committee that included four players.",
    ],
  },
  {
    slug: 'rail-strike-talks',
    source: 'Northern Ledger',
    headline: 'Rail unions and operators agree to resume strike talks',
    publishedAt: '2026-05-08T18:45:00+02:00',
    author: 'Ingrid Halvorsen',
    paragraphs: [
      "Rail unions and the country's three largest train operators agreed on Friday to return to talks next week, raising hopes that a strike planned for the end of May can be avoided.",
      'The Federation of Rail Workers said it would keep the strike date in place until a written offer was on the table.',
      'Labour Minister Pieter de Groot, who brokered Friday\'s agreement, said both sides had "moved further in one afternoon than in the previous three months".',
      '"We are not there yet, but for the first time in a long while everyone in the room wants the same thing," Mr de Groot said.',
      'The dispute centres on pay and on plans to remove guards from some regional services. Operators say driver-only trains are safe; the federation says guards are essential for passengers who need help.',
      'A strike would halt most services on 29 May, a public holiday weekend when operators expect more than two million journeys.',
    ],
  },
];
