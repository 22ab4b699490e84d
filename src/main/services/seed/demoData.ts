/** Names, vehicles and places for the demo shop: a mixed, international Dutch counter. */

export const FIRST_NAMES = [
  'Emma', 'Noah', 'Julia', 'Liam', 'Sophie', 'Lucas', 'Mila', 'Daan', 'Tess', 'Sem', 'Anna', 'Finn', 'Zoë', 'Levi', 'Sara', 'Luuk',
  'Eva', 'Bram', 'Lotte', 'Thijs', 'Fleur', 'Jesse', 'Isa', 'Milan', 'Lieke', 'Ruben', 'Noor', 'Stijn', 'Femke', 'Jasper',
  'Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Jack', 'Grace', 'Charlotte', 'James', 'Lena', 'Felix', 'Hannah', 'Jonas',
  'Marie', 'Paul', 'Léa', 'Hugo', 'Chloé', 'Louis', 'Lucía', 'Mateo', 'Sofía', 'Pablo', 'Giulia', 'Marco', 'Aurora', 'Luca',
  'Zofia', 'Jakub', 'Aisha', 'Omar', 'Yara', 'Mehmet', 'Elif', 'Priya', 'Arjun', 'Mei', 'Wei', 'Hiro', 'Yuki', 'Kofi', 'Amara',
  'Siobhán', 'Niamh', 'Seán', 'Ingrid', 'Lars', 'Astrid', 'Björn', 'Mia', 'Tomás', 'Inês', 'João', 'Kai', 'Nina', 'Max',
];

export const LAST_NAMES = [
  'de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder',
  'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf',
  'van der Meer', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van den Heuvel', 'van der Veen', 'Schouten', 'Willems', 'Hoekstra',
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Evans', 'Thomas', 'Roberts', 'Walker', "O'Brien", 'Murphy', 'Kelly',
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Wagner', 'Schäfer', 'Koch', 'Richter',
  'Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez',
  'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Kowalski', 'Nowak', 'Wiśniewski', 'Nielsen', 'Hansen',
  'Andersson', 'Johansson', 'Lindqvist', 'Silva', 'Santos', 'Pereira', 'Yılmaz', 'Kaya', 'Demir', 'El Amrani', 'Benali',
  'Nguyen', 'Tran', 'Kim', 'Park', 'Chen', 'Wang', 'Tanaka', 'Sato', 'Patel', 'Singh', 'Sharma', 'Mensah', 'Okafor',
];

export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.com', 'post.example.nl'];

/** Country calling code and a national mobile pattern ("#" = a digit). */
export const PHONE_FORMATS: readonly { weight: number; format: string }[] = [
  { weight: 60, format: '+31 6 #### ####' },
  { weight: 12, format: '+44 7700 9#####' },
  { weight: 10, format: '+49 15# #######' },
  { weight: 8, format: '+33 6 ## ## ## ##' },
  { weight: 5, format: '+34 6## ### ###' },
  { weight: 5, format: '+1 (555) ###-####' },
];

export type ClassPlan = { code: string; count: number; models: readonly [string, string][]; tank: number };

export const FLEET_PLAN: readonly ClassPlan[] = [
  { code: 'economy', count: 10, tank: 35, models: [['Toyota', 'Aygo X'], ['Fiat', '500'], ['Kia', 'Picanto'], ['Volkswagen', 'up!']] },
  { code: 'compact', count: 10, tank: 45, models: [['Volkswagen', 'Golf'], ['Peugeot', '208'], ['Renault', 'Clio'], ['Opel', 'Corsa'], ['Ford', 'Focus']] },
  { code: 'midsize', count: 8, tank: 50, models: [['Toyota', 'Corolla'], ['Škoda', 'Octavia'], ['Volkswagen', 'Passat'], ['Mazda', '6']] },
  { code: 'suv', count: 6, tank: 60, models: [['Volkswagen', 'Tiguan'], ['Kia', 'Sportage'], ['Toyota', 'RAV4'], ['Nissan', 'Qashqai']] },
  { code: 'van', count: 3, tank: 70, models: [['Ford', 'Transit Custom'], ['Volkswagen', 'Transporter'], ['Mercedes-Benz', 'Vito']] },
  { code: 'premium', count: 3, tank: 60, models: [['BMW', '3 Series'], ['Mercedes-Benz', 'C-Class'], ['Audi', 'A4']] },
];

export const COLOURS = ['White', 'Black', 'Silver', 'Grey', 'Blue', 'Red', 'Dark blue', 'Green'];

/** Letters used on Dutch plates (no vowels, no C/Q/M/W/Y, so no words and no look-alikes). */
export const PLATE_LETTERS = 'BDFGHJKLNPRSTVXZ';

/** Pickup and return places per demo rate card; codes match the card's one-way routes. */
export const DEMO_LOCATIONS: Record<'EUR' | 'JPY' | 'KWD', readonly { code: string; name: string }[]> = {
  EUR: [
    { code: 'AMS', name: 'Amsterdam Centraal' },
    { code: 'RTM', name: 'Rotterdam Centraal' },
    { code: 'EIN', name: 'Eindhoven Airport' },
  ],
  JPY: [
    { code: 'HND', name: 'Haneda Airport' },
    { code: 'NRT', name: 'Narita Airport' },
  ],
  KWD: [
    { code: 'KWC', name: 'Kuwait City' },
    { code: 'KWI', name: 'Kuwait Airport' },
  ],
};
