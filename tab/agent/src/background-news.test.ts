import { describe, expect, it } from 'vitest';
import { NO_NEWS, addNews, newsWords } from './background-news.js';

describe('background news', () => {
  it('says nothing when nothing happened', () => {
    expect(newsWords(NO_NEWS)).toBe('');
  });

  it('names one message, and counts a burst in one line', () => {
    const one = addNews(NO_NEWS, 'c1', 'Ana Ruiz', 'message');
    expect(newsWords(one)).toBe('New message from Ana Ruiz');
    const three = addNews(addNews(one, 'c1', 'Ana Ruiz', 'message'), 'c1', 'Ana Ruiz', 'message');
    expect(newsWords(three)).toBe('3 new messages from Ana Ruiz');
  });

  it('says a customer left after what they wrote, and keeps sessions apart', () => {
    let news = addNews(NO_NEWS, 'c1', 'Ana Ruiz', 'message');
    news = addNews(news, 'c2', 'Bo Gray', 'message');
    news = addNews(news, 'c1', 'Ana Ruiz', 'left');
    expect(newsWords(news)).toBe(
      'New message from Ana Ruiz. Ana Ruiz left the chat. New message from Bo Gray',
    );
  });

  it('leaves what it had untouched', () => {
    addNews(NO_NEWS, 'c1', 'Ana Ruiz', 'message');
    expect(NO_NEWS.byConversation.size).toBe(0);
  });
});
