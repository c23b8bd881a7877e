export { delayJob } from './delay-job';
export { feedDependencies } from './feed-dependencies';
export { FeedPollError, pollFeed, pollSitemap } from './poll-handlers';
export { importOpmlFile, syncFeedSchedules } from './start-feeds';
