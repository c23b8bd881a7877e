import type { EntityType } from '@sluice/contracts';

/**
 * A small hand-written entity test set: sentences in the style of wire copy, each with every
 * person, organisation and place a reader would index (canonical names). Written for Sluice.
 */
export interface EntityCase {
  text: string;
  expected: [EntityType, string][];
}

export const ENTITY_CASES: EntityCase[] = [
  {
    text: 'German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris on Monday.',
    expected: [
      ['person', 'Olaf Scholz'],
      ['person', 'Emmanuel Macron'],
      ['place', 'Germany'],
      ['place', 'France'],
      ['place', 'Paris'],
    ],
  },
  {
    text: 'Mr Scholz told reporters that the talks had been "open and constructive".',
    expected: [['person', 'Scholz']],
  },
  {
    text: 'The Defense Department said on Tuesday it would send more advisers to Kenya.',
    expected: [
      ['organization', 'Defense Department'],
      ['place', 'Kenya'],
    ],
  },
  {
    text: "Nigeria's oil minister, Adewale Okonjo, said output would rise next year.",
    expected: [
      ['place', 'Nigeria'],
      ['person', 'Adewale Okonjo'],
    ],
  },
  {
    text: 'Police in Lagos arrested three Boko Haram fighters after a raid, a spokesman said.',
    expected: [
      ['place', 'Lagos'],
      ['organization', 'Boko Haram'],
    ],
  },
  {
    text: 'The World Bank approved a $500 million loan to Pakistan for flood reconstruction.',
    expected: [
      ['organization', 'World Bank'],
      ['place', 'Pakistan'],
    ],
  },
  {
    text: 'Prime Minister Shehbaz Sharif thanked the bank and said Islamabad would repay it in full.',
    expected: [
      ['person', 'Shehbaz Sharif'],
      ['place', 'Islamabad'],
    ],
  },
  {
    text: 'Dr Maria Santos, a researcher at the University of Lisbon, led the study.',
    expected: [
      ['person', 'Maria Santos'],
      ['organization', 'University of Lisbon'],
    ],
  },
  {
    text: 'Santos said the results surprised her team.',
    expected: [['person', 'Santos']],
  },
  {
    text: 'Brazilian prosecutors charged former executives of Petroleo Nacional Corp with fraud.',
    expected: [
      ['place', 'Brazil'],
      ['organization', 'Petroleo Nacional Corp'],
    ],
  },
  {
    text: 'The Kremlin rejected the accusation, and Foreign Minister Sergei Lavrov called it absurd.',
    expected: [
      ['organization', 'Kremlin'],
      ['person', 'Sergei Lavrov'],
    ],
  },
  {
    text: 'NATO allies met in Brussels to discuss support for Ukraine.',
    expected: [
      ['organization', 'North Atlantic Treaty Organization'],
      ['place', 'Brussels'],
      ['place', 'Ukraine'],
    ],
  },
  {
    text: "Ukraine's president, Volodymyr Zelensky, urged the U.S. Congress to approve new aid.",
    expected: [
      ['place', 'Ukraine'],
      ['person', 'Volodymyr Zelensky'],
      ['place', 'United States'],
      ['organization', 'Congress'],
    ],
  },
  {
    text: 'Senator Lindsey Graham said the United States would not abandon Kyiv.',
    expected: [
      ['person', 'Lindsey Graham'],
      ['place', 'United States'],
      ['place', 'Kyiv'],
    ],
  },
  {
    text: 'The Taliban said its fighters had taken control of a district in Helmand province.',
    expected: [
      ['organization', 'Taliban'],
      ['place', 'Helmand'],
    ],
  },
  {
    text: 'Al-Shabaab militants attacked a hotel in Mogadishu, Somali officials said.',
    expected: [
      ['organization', 'Al-Shabaab'],
      ['place', 'Mogadishu'],
      ['place', 'Somalia'],
    ],
  },
  {
    text: 'Apple Inc shares fell 3 percent after the company warned of weak demand in China.',
    expected: [
      ['organization', 'Apple Inc'],
      ['place', 'China'],
    ],
  },
  {
    text: 'Chief executive Tim Cook said the company remained confident about India.',
    expected: [
      ['person', 'Tim Cook'],
      ['place', 'India'],
    ],
  },
  {
    text: 'The European Central Bank kept interest rates unchanged, President Christine Lagarde said.',
    expected: [
      ['organization', 'European Central Bank'],
      ['person', 'Christine Lagarde'],
    ],
  },
  {
    text: 'Lagarde added that inflation in the euro zone was easing.',
    expected: [['person', 'Lagarde']],
  },
  {
    text: 'Rescue teams from Turkey and Greece searched the rubble in Izmir overnight.',
    expected: [
      ['place', 'Turkey'],
      ['place', 'Greece'],
      ['place', 'Izmir'],
    ],
  },
  {
    text: 'The Red Crescent said it had delivered aid to Gaza through the Rafah crossing.',
    expected: [
      ['organization', 'Red Crescent'],
      ['place', 'Gaza'],
      ['place', 'Rafah'],
    ],
  },
  {
    text: 'Israeli Prime Minister Benjamin Netanyahu spoke with U.S. Secretary of State Antony Blinken.',
    expected: [
      ['place', 'Israel'],
      ['person', 'Benjamin Netanyahu'],
      ['place', 'United States'],
      ['person', 'Antony Blinken'],
    ],
  },
  {
    text: 'Hamas leaders in Doha said they were studying the proposal.',
    expected: [
      ['organization', 'Hamas'],
      ['place', 'Doha'],
    ],
  },
  {
    text: 'Japanese automaker Toyota Motor Corp recalled 1.2 million vehicles in North America.',
    expected: [
      ['place', 'Japan'],
      ['organization', 'Toyota Motor Corp'],
      ['place', 'North America'],
    ],
  },
  {
    text: 'Gen Mark Milley, chairman of the Joint Chiefs of Staff, visited troops in Iraq.',
    expected: [
      ['person', 'Mark Milley'],
      ['organization', 'Joint Chiefs of Staff'],
      ['place', 'Iraq'],
    ],
  },
  {
    text: 'The Supreme Court ruled 6-3 in favour of the state of Texas.',
    expected: [
      ['organization', 'Supreme Court'],
      ['place', 'Texas'],
    ],
  },
  {
    text: 'Mexican President Andres Manuel Lopez Obrador criticised the decision in Mexico City.',
    expected: [
      ['place', 'Mexico'],
      ['person', 'Andres Manuel Lopez Obrador'],
      ['place', 'Mexico City'],
    ],
  },
  {
    text: 'Lopez Obrador said his government would appeal.',
    expected: [['person', 'Lopez Obrador']],
  },
  {
    text: 'UN Secretary-General Antonio Guterres called for a ceasefire in Sudan.',
    expected: [
      ['organization', 'United Nations'],
      ['person', 'Antonio Guterres'],
      ['place', 'Sudan'],
    ],
  },
  {
    text: 'Abdel Fattah al-Burhan, the army chief, met envoys in Khartoum.',
    expected: [
      ['person', 'Abdel Fattah al-Burhan'],
      ['place', 'Khartoum'],
    ],
  },
  {
    text: 'The Rapid Support Forces accused the army of shelling Omdurman.',
    expected: [
      ['organization', 'Rapid Support Forces'],
      ['place', 'Omdurman'],
    ],
  },
  {
    text: 'Reuters could not independently verify the claims.',
    expected: [['organization', 'Reuters']],
  },
  {
    text: "Canada's foreign ministry summoned the Indian envoy in Ottawa on Wednesday.",
    expected: [
      ['place', 'Canada'],
      ['place', 'India'],
      ['place', 'Ottawa'],
    ],
  },
  {
    text: 'Environment Minister Steven Guilbeault said Canadian emissions fell last year.',
    expected: [
      ['person', 'Steven Guilbeault'],
      ['place', 'Canada'],
    ],
  },
  {
    text: 'Opposition leader Pierre Poilievre accused the Liberal Party of ignoring voters in Alberta.',
    expected: [
      ['person', 'Pierre Poilievre'],
      ['organization', 'Liberal Party'],
      ['place', 'Alberta'],
    ],
  },
  {
    text: 'Shares of Samsung Electronics rose in Seoul after South Korea lifted export curbs.',
    expected: [
      ['organization', 'Samsung Electronics'],
      ['place', 'Seoul'],
      ['place', 'South Korea'],
    ],
  },
  {
    text: 'Thousands marched through London on Saturday, the Metropolitan Police said.',
    expected: [
      ['place', 'London'],
      ['organization', 'Metropolitan Police'],
    ],
  },
  // Added for issue #4 (acronyms, "quoted ... as saying", lone places, group names opening a sentence),
  // written before the rules for them were tuned.
  {
    text: 'The Committee to Protect Journalists (CPJ) said 12 reporters were detained. CPJ urged their release.',
    expected: [['organization', 'Committee to Protect Journalists']],
  },
  {
    text: 'The National Transportation Safety Board opened an inquiry into the crash. NTSB investigators reached the site in Ohio on Friday.',
    expected: [
      ['organization', 'National Transportation Safety Board'],
      ['place', 'Ohio'],
    ],
  },
  {
    text: 'Inspectors from the International Atomic Energy Agency visited Natanz. The IAEA said access was limited.',
    expected: [
      ['organization', 'International Atomic Energy Agency'],
      ['place', 'Natanz'],
    ],
  },
  {
    text: 'The World Food Programme (WFP) warned of famine in Tigray, and WFP trucks were stopped at the border.',
    expected: [
      ['organization', 'World Food Programme'],
      ['place', 'Tigray'],
    ],
  },
  {
    text: 'The state news agency IRNA quoted Foreign Minister Abbas Araghchi as saying the talks were useful.',
    expected: [
      ['organization', 'IRNA'],
      ['person', 'Abbas Araghchi'],
    ],
  },
  {
    text: 'Local media quoted police chief Daniel Mwangi as saying that four suspects had fled to Uganda.',
    expected: [
      ['person', 'Daniel Mwangi'],
      ['place', 'Uganda'],
    ],
  },
  {
    text: 'Floods cut roads in Kherson after the dam burst, the regional governor said.',
    expected: [['place', 'Kherson']],
  },
  {
    text: 'Hundreds of families fled from Goma as the fighting moved closer.',
    expected: [['place', 'Goma']],
  },
  {
    text: 'Voting was delayed in Tamale because ballot papers arrived late.',
    expected: [['place', 'Tamale']],
  },
  {
    text: 'Hezbollah fighters fired rockets at an army post near the border with Israel.',
    expected: [
      ['organization', 'Hezbollah'],
      ['place', 'Israel'],
    ],
  },
  {
    text: 'Houthi militants seized a cargo ship in the Red Sea on Sunday.',
    expected: [
      ['organization', 'Houthi'],
      ['place', 'Red Sea'],
    ],
  },
  {
    text: 'Wagner commanders met officials in Bamako to discuss security.',
    expected: [
      ['organization', 'Wagner'],
      ['place', 'Bamako'],
    ],
  },
  {
    text: 'Amnesty International accused the security forces of torture in a report released in Nairobi.',
    expected: [
      ['organization', 'Amnesty International'],
      ['place', 'Nairobi'],
    ],
  },
  {
    text: 'The African Union said its envoy, Olusegun Obasanjo, would travel to Addis Ababa.',
    expected: [
      ['organization', 'African Union'],
      ['person', 'Olusegun Obasanjo'],
      ['place', 'Addis Ababa'],
    ],
  },
  {
    text: 'Interior Minister Gerald Darmanin said the Paris prosecutor had opened an investigation.',
    expected: [
      ['person', 'Gerald Darmanin'],
      ['place', 'Paris'],
    ],
  },
  {
    text: 'Darmanin told France Info radio that more officers would be deployed.',
    expected: [
      ['person', 'Darmanin'],
      ['organization', 'France Info'],
    ],
  },
  {
    text: 'The Organisation for Economic Co-operation and Development (OECD) cut its forecast. The OECD now expects growth of 2.1 percent.',
    expected: [['organization', 'Organisation for Economic Co-operation and Development']],
  },
  {
    text: 'Human Rights Watch (HRW) said the strikes on Khan Younis may amount to war crimes.',
    expected: [
      ['organization', 'Human Rights Watch'],
      ['place', 'Khan Younis'],
    ],
  },
  {
    text: 'The European Commission fined the company, a Commission spokeswoman, Anna Keller, said in Brussels.',
    expected: [
      ['organization', 'European Commission'],
      ['person', 'Anna Keller'],
      ['place', 'Brussels'],
    ],
  },
  {
    text: 'Syrian state television quoted President Bashar al-Assad as saying the army would retake Idlib.',
    expected: [
      ['place', 'Syria'],
      ['person', 'Bashar al-Assad'],
      ['place', 'Idlib'],
    ],
  },
];
