/** The 19 MovieLens genres with their share of ml-latest-small's movies (a movie has one or more). */
export const GENRES: readonly { readonly name: string; readonly share: number }[] = [
  { name: 'Drama', share: 0.448 },
  { name: 'Comedy', share: 0.386 },
  { name: 'Thriller', share: 0.194 },
  { name: 'Action', share: 0.188 },
  { name: 'Romance', share: 0.164 },
  { name: 'Adventure', share: 0.13 },
  { name: 'Crime', share: 0.123 },
  { name: 'Sci-Fi', share: 0.101 },
  { name: 'Horror', share: 0.1 },
  { name: 'Fantasy', share: 0.08 },
  { name: 'Children', share: 0.068 },
  { name: 'Animation', share: 0.063 },
  { name: 'Mystery', share: 0.059 },
  { name: 'Documentary', share: 0.045 },
  { name: 'War', share: 0.039 },
  { name: 'Musical', share: 0.034 },
  { name: 'Western', share: 0.017 },
  { name: 'IMAX', share: 0.016 },
  { name: 'Film-Noir', share: 0.009 },
];

/** MovieLens's label for a movie without genres. */
export const NO_GENRES = '(no genres listed)';

export const ADJECTIVES: readonly string[] = [
  'Dark', 'Silent', 'Lost', 'Last', 'Golden', 'Broken', 'Hidden', 'Wild', 'Little', 'Big', 'Red', 'Blue',
  'Black', 'White', 'Eternal', 'Crazy', 'Secret', 'Final', 'Lonely', 'Sweet', 'Bitter', 'Burning', 'Frozen',
  'Midnight', 'Savage', 'Brave', 'Deadly', 'Perfect', 'Strange', 'Forgotten', 'Electric', 'Wicked', 'Quiet',
  'Sudden', 'Endless', 'Hollow', 'Crimson', 'Iron', 'Silver', 'Shallow', 'Fatal', 'Gentle', 'Restless',
  'Naïve', 'Señor', 'Über', 'Café', 'Doré', 'Noël', 'Señorita', 'Jalapeño', 'Crème',
];

export const NOUNS: readonly string[] = [
  'Heat', 'River', 'City', 'Night', 'Dream', 'Heart', 'Road', 'Storm', 'Shadow', 'Fire', 'Island', 'Kingdom',
  'Hunter', 'Stranger', 'Summer', 'Winter', 'Garden', 'Mirror', 'Empire', 'Train', 'Ghost', 'Machine',
  'Highway', 'Ocean', 'Mountain', 'Sister', 'Brother', 'Father', 'Mother', 'Daughter', 'Son', 'King', 'Queen',
  'Soldier', 'Detective', 'Angel', 'Devil', 'Witness', 'Promise', 'Secret', 'Journey', 'Escape', 'Return',
  'Revenge', 'Legend', 'Story', 'Game', 'Wolf', 'Dragon', 'Star', 'Moon', 'Sun', 'Wind', 'Rain', 'Snow',
  'House', 'Room', 'Door', 'Window', 'Bridge', 'Tower', 'Castle', 'Forest', 'Desert', 'Valley', 'Harbor',
  'Circus', 'Theater', 'Orchestra', 'Painter', 'Doctor', 'Lawyer', 'Pilot', 'Sailor', 'Thief', 'Spy',
  'Prisoner', 'Prince', 'Princess', 'Wedding', 'Funeral', 'Party', 'Dance', 'Song', 'Letter', 'Diary',
  'Été', 'Amélie', 'Mañana', 'Fiancé', 'Déjà Vu', 'Piñata', 'Café',
];

/** Title heads MovieLens writes with the article moved to the end: "Heat, The (1995)". */
export const ARTICLES: readonly string[] = ['The', 'A', 'An', 'La', 'Le', 'Les', 'Der', 'Die', 'Das', 'El'];

export const CONNECTORS: readonly string[] = ['of', 'in', 'and', 'for', 'from', 'at', 'under', 'beyond', 'without'];

/** Syllables of made-up names ("Karomi", "Velund"): real catalogs have tens of thousands of rare title words. */
export const SYLLABLES: readonly string[] = [
  'ka', 'ro', 'mi', 'vel', 'und', 'ta', 'ra', 'lo', 'ne', 'sa', 'bri', 'dor', 'ga', 'len', 'mar', 'os', 'pi', 'qua',
  'ri', 'sto', 'tu', 'va', 'wen', 'xa', 'yo', 'zel', 'an', 'be', 'cor', 'di', 'el', 'fa', 'gon', 'har', 'is', 'jo',
  'kel', 'lu', 'mo', 'nor', 'ol', 'per', 'rin', 'sel', 'tor', 'ul', 'vin', 'zo', 'é', 'ña', 'ö',
];
