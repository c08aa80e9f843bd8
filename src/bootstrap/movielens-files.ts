/** What a MovieLens download must deliver: the zip's address and every file's size and SHA-256. */

export interface ExpectedFile {
  readonly name: string;
  readonly bytes: number;
  /** Lower-case hex. */
  readonly sha256: string;
}

export interface MovielensDownloadSpec {
  /** The dataset's folder name: the zip's top folder, and the folder made in DATA_DIR. */
  readonly name: string;
  readonly url: string;
  /** Only these are extracted, and each must match its size and SHA-256. */
  readonly files: readonly ExpectedFile[];
}

/**
 * ml-latest-small, the 2018 version (generated 2018-09-26), from GroupLens. Sizes and SHA-256 are copied from
 * ../shared/movielens/MANIFEST.md (its table "ml-latest-small/"), which checked them against a separately published
 * inventory of the official files.
 */
export const ML_LATEST_SMALL: MovielensDownloadSpec = {
  name: 'ml-latest-small',
  url: 'https://files.grouplens.org/datasets/movielens/ml-latest-small.zip',
  files: [
    { name: 'README.txt', bytes: 8342, sha256: '63d22ac138e80fae37021797ed8e1b9424b5239dc576a137422adf783ae3f404' },
    { name: 'links.csv', bytes: 197979, sha256: '97ad18e4e56a09363c65676b6cb3482ce3e2cea2372a24620c1599c843325f31' },
    { name: 'movies.csv', bytes: 494431, sha256: '5a5f32dd9bb3797b8e728a1b98958789d2b13f294a69fdfbc5727f8a9611aa07' },
    { name: 'ratings.csv', bytes: 2483723, sha256: 'aa289ca83157595d0df6aea1be6a4ded676ddc4385472e8313a8ed9805352646' },
    { name: 'tags.csv', bytes: 118660, sha256: '92a9f8bb7916dceef6151209845788c3643f794dfa79d1feaec7121b5960399d' },
  ],
};
