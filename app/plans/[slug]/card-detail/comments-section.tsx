'use client';

import { useFormatter, useTranslations } from 'next-intl';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';

import { keepMentions, splitMentions } from '../../../../domain/comment-mentions';
import { commentLimits, type Comment } from '../../../../domain/realtime-events';
import type { PlanMember } from '../../../../domain/roles';
import type { CommandResult, RealtimeConnection } from '../../../lib/realtime-connection';
import { useRelativeTime } from '../../../lib/use-relative-time';
import styles from './comments-section.module.css';
import { MentionTextarea } from './mention-textarea';

interface Thread {
  root: Comment;
  replies: Comment[];
}

type LoadState = 'loading' | 'loaded' | 'failed';

const noopSubscribe = () => () => undefined;

/** The item's comments by id, loaded over HTTP at every (re)join and kept live by the facts. */
function useItemComments(realtime: RealtimeConnection | null, slug: string, itemId: string) {
  const [comments, setComments] = useState<Map<string, Comment>>(() => new Map());
  const [load, setLoad] = useState<LoadState>('loading');
  const epoch = useSyncExternalStore(
    realtime?.subscribeJoined ?? noopSubscribe,
    realtime?.getEpoch ?? (() => 0),
    () => 0,
  );

  const apply = useCallback((comment: Comment) => {
    setComments((current) => {
      if (current.get(comment.id) === comment) return current;
      const next = new Map(current);
      next.set(comment.id, comment);
      return next;
    });
  }, []);

  useEffect(() => {
    if (!realtime) return;
    return realtime.onCommentFact((_name, comment) => {
      if (comment.itemId === itemId) apply(comment);
    });
  }, [realtime, itemId, apply]);

  useEffect(() => {
    const controller = new AbortController();
    fetch(`/api/plans/${encodeURIComponent(slug)}/items/${encodeURIComponent(itemId)}/comments`, {
      signal: controller.signal,
      credentials: 'same-origin',
    })
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const { comments: loaded } = (await response.json()) as { comments: Comment[] };
        setComments(new Map(loaded.map((comment) => [comment.id, comment])));
        setLoad('loaded');
      })
      .catch(() => {
        if (!controller.signal.aborted) setLoad('failed');
      });
    return () => controller.abort();
    // The epoch changes at every join: after a reconnect, load what was missed.
  }, [slug, itemId, epoch]);

  return { comments, load, apply };
}

function toThreads(comments: Map<string, Comment>): Thread[] {
  const threads = new Map<string, Thread>();
  const sorted = [...comments.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const comment of sorted) {
    if (comment.parentId === null) threads.set(comment.id, { root: comment, replies: [] });
  }
  for (const comment of sorted) {
    if (comment.parentId !== null) threads.get(comment.parentId)?.replies.push(comment);
  }
  return [...threads.values()];
}

function useCommandError() {
  const t = useTranslations('Comments');
  return useCallback(
    (result: CommandResult): string | null => {
      if ('ok' in result) return null;
      switch (result.error) {
        case 'forbidden':
          return t('errors.forbidden');
        case 'not_found':
          return t('errors.notFound');
        case 'conflict':
          return t('errors.conflict');
        case 'timeout':
          return t('errors.timeout');
        case 'bad_request':
          return t('errors.badRequest');
        default:
          return t('errors.internal');
      }
    },
    [t],
  );
}

export interface CommentsSectionProps {
  realtime: RealtimeConnection | null;
  slug: string;
  itemId: string;
  userId: string;
  /** Owners, editors and commenters write; viewers read. */
  canWrite: boolean;
  /** Owners may delete anyone's comment. */
  canModerate: boolean;
  members: PlanMember[];
  labelId: string;
}

/** The item's discussion: threads with their replies, live, and a composer for those who may. */
export function CommentsSection({
  realtime,
  slug,
  itemId,
  userId,
  canWrite,
  canModerate,
  members,
  labelId,
}: CommentsSectionProps) {
  const t = useTranslations('Comments');
  const { comments, load, apply } = useItemComments(realtime, slug, itemId);
  const threads = useMemo(() => toThreads(comments), [comments]);
  const openCount = threads.filter((thread) => thread.root.resolvedAt === null).length;
  const describe = useCommandError();

  const run = useCallback(
    async (command: () => Promise<CommandResult> | undefined): Promise<string | null> => {
      const result = await command();
      if (!result) return t('errors.timeout');
      if ('ok' in result) apply(result.comment);
      return describe(result);
    },
    [apply, describe, t],
  );

  const nameOf = useCallback(
    (id: string | null) => members.find((member) => member.id === id)?.name ?? t('someone'),
    [members, t],
  );

  return (
    <section className={styles.section} aria-labelledby={labelId} data-testid="comments">
      <h3 id={labelId} className={styles.title}>
        {t('heading')}
        {openCount > 0 ? (
          <span className={styles.count} data-testid="comments-open-count">
            {t('openCount', { count: openCount })}
          </span>
        ) : null}
      </h3>

      {load === 'loading' && comments.size === 0 ? (
        <p className={styles.muted}>{t('loading')}</p>
      ) : load === 'failed' ? (
        <p className={styles.error} role="alert">
          {t('loadFailed')}
        </p>
      ) : threads.length === 0 ? (
        <p className={styles.muted}>{canWrite ? t('emptyWriter') : t('emptyReader')}</p>
      ) : null}

      {threads.length > 0 ? (
        <ul className={styles.threads}>
          {threads.map((thread) => (
            <ThreadView
              key={thread.root.id}
              thread={thread}
              userId={userId}
              canWrite={canWrite}
              canModerate={canModerate}
              resolvedByName={nameOf(thread.root.resolvedBy)}
              realtime={realtime}
              itemId={itemId}
              members={members}
              run={run}
            />
          ))}
        </ul>
      ) : null}

      {canWrite ? (
        <Composer
          label={t('newComment')}
          placeholder={t('placeholder')}
          submitLabel={t('send')}
          testId="comment-composer"
          members={othersThan(members, userId)}
          onSubmit={(body, mentions) =>
            run(() =>
              realtime?.command('comment:create', { itemId, body, parentId: null, mentions }),
            )
          }
        />
      ) : null}
    </section>
  );
}

type Run = (command: () => Promise<CommandResult> | undefined) => Promise<string | null>;

const ThreadView = memo(function ThreadView({
  thread,
  userId,
  canWrite,
  canModerate,
  resolvedByName,
  realtime,
  itemId,
  members,
  run,
}: {
  thread: Thread;
  userId: string;
  canWrite: boolean;
  canModerate: boolean;
  resolvedByName: string;
  realtime: RealtimeConnection | null;
  itemId: string;
  members: PlanMember[];
  run: Run;
}) {
  const t = useTranslations('Comments');
  const resolved = thread.root.resolvedAt !== null;
  const [expanded, setExpanded] = useState(false);
  const [replying, setReplying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const showBody = !resolved || expanded;
  const threadId = thread.root.id;

  const setState = async (event: 'thread:resolve' | 'thread:reopen') => {
    setError(await run(() => realtime?.command(event, { threadId })));
  };

  return (
    <li
      className={`${styles.thread} ${resolved ? styles.resolved : ''}`}
      data-testid="comment-thread"
      data-thread-id={threadId}
      data-resolved={resolved ? 'true' : 'false'}
    >
      {resolved ? (
        <div className={styles.resolvedBar}>
          <p className={styles.resolvedNote} data-testid="thread-resolved-note">
            <span aria-hidden="true">✓ </span>
            {t('resolvedBy', { name: resolvedByName })}
          </p>
          <button
            type="button"
            className={styles.action}
            aria-expanded={expanded}
            onClick={() => setExpanded((value) => !value)}
          >
            {expanded ? t('hideThread') : t('showThread')}
          </button>
        </div>
      ) : null}

      {showBody ? (
        <>
          <CommentView
            comment={thread.root}
            userId={userId}
            canWrite={canWrite}
            canModerate={canModerate}
            realtime={realtime}
            members={members}
            run={run}
          />
          {thread.replies.length > 0 ? (
            <ul className={styles.replies}>
              {thread.replies.map((reply) => (
                <li key={reply.id}>
                  <CommentView
                    comment={reply}
                    userId={userId}
                    canWrite={canWrite}
                    canModerate={canModerate}
                    realtime={realtime}
                    members={members}
                    run={run}
                  />
                </li>
              ))}
            </ul>
          ) : null}

          {canWrite ? (
            <div className={styles.threadActions}>
              {!resolved && !replying ? (
                <button type="button" className={styles.action} onClick={() => setReplying(true)}>
                  {t('reply')}
                </button>
              ) : null}
              <button
                type="button"
                className={styles.action}
                onClick={() => void setState(resolved ? 'thread:reopen' : 'thread:resolve')}
              >
                {resolved ? t('reopen') : t('resolve')}
              </button>
            </div>
          ) : null}
          {error ? (
            <p className={styles.error} role="alert">
              {error}
            </p>
          ) : null}
          {canWrite && replying && !resolved ? (
            <Composer
              label={t('replyLabel')}
              placeholder={t('replyPlaceholder')}
              submitLabel={t('sendReply')}
              testId="reply-composer"
              autoFocus
              members={othersThan(members, userId)}
              onCancel={() => setReplying(false)}
              onSubmit={async (body, mentions) => {
                const failure = await run(() =>
                  realtime?.command('comment:create', {
                    itemId,
                    body,
                    parentId: threadId,
                    mentions,
                  }),
                );
                if (!failure) setReplying(false);
                return failure;
              }}
            />
          ) : null}
        </>
      ) : null}
    </li>
  );
});

const CommentView = memo(function CommentView({
  comment,
  userId,
  canWrite,
  canModerate,
  realtime,
  members,
  run,
}: {
  comment: Comment;
  userId: string;
  canWrite: boolean;
  canModerate: boolean;
  realtime: RealtimeConnection | null;
  members: PlanMember[];
  run: Run;
}) {
  const t = useTranslations('Comments');
  const organisations = useTranslations('Organisations');
  const time = useRelativeTime();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = comment.authorId === userId;
  const deleted = comment.deletedAt !== null;
  const created = new Date(comment.createdAt);

  const remove = async () => {
    if (!window.confirm(t('confirmDelete'))) return;
    setError(await run(() => realtime?.command('comment:delete', { commentId: comment.id })));
  };

  return (
    <article className={styles.comment} data-testid="comment" data-comment-id={comment.id}>
      <header className={styles.meta}>
        <span className={styles.author}>{comment.authorName}</span>
        <span className={styles.org}>{organisations(`${comment.authorOrganisation}.short`)}</span>
        <time className={styles.time} dateTime={comment.createdAt} title={time.full(created)}>
          {time.relative(created)}
        </time>
        {comment.editedAt && !deleted ? <span className={styles.time}>{t('edited')}</span> : null}
      </header>

      {deleted ? (
        <p className={styles.deleted}>{t('deleted')}</p>
      ) : editing ? (
        <Composer
          label={t('editLabel')}
          initial={comment.body}
          submitLabel={t('save')}
          testId="edit-composer"
          autoFocus
          members={othersThan(members, userId)}
          initialMentions={comment.mentions}
          onCancel={() => setEditing(false)}
          onSubmit={async (body, mentions) => {
            const failure = await run(() =>
              realtime?.command('comment:edit', { commentId: comment.id, body, mentions }),
            );
            if (!failure) setEditing(false);
            return failure;
          }}
        />
      ) : (
        // Text only: whatever the body holds is characters, never markup; a mention is a span
        // around its own text.
        <p className={styles.body} data-testid="comment-body">
          <CommentBody comment={comment} members={members} />
        </p>
      )}

      {!deleted && !editing && canWrite && (mine || canModerate) ? (
        <div className={styles.commentActions}>
          {mine ? (
            <button type="button" className={styles.action} onClick={() => setEditing(true)}>
              {t('edit')}
            </button>
          ) : null}
          <button type="button" className={styles.action} onClick={() => void remove()}>
            {t('delete')}
          </button>
        </div>
      ) : null}
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
    </article>
  );
});

/** Who the writer may @mention: everyone on the plan but themself. */
function othersThan(members: PlanMember[], userId: string): PlanMember[] {
  return members.filter((member) => member.id !== userId);
}

function Composer({
  label,
  placeholder,
  submitLabel,
  initial = '',
  testId,
  autoFocus = false,
  members,
  initialMentions = [],
  onSubmit,
  onCancel,
}: {
  label: string;
  placeholder?: string;
  submitLabel: string;
  initial?: string;
  testId: string;
  autoFocus?: boolean;
  members: PlanMember[];
  initialMentions?: string[];
  /**
   * Resolves with an error message, or null once the server stored it. `mentions`: the members
   * picked from the completion whose `@Name` is still in the body.
   */
  onSubmit: (body: string, mentions: string[]) => Promise<string | null>;
  onCancel?: () => void;
}) {
  const t = useTranslations('Comments');
  const format = useFormatter();
  const id = useId();
  const [body, setBody] = useState(initial);
  const [picked, setPicked] = useState<string[]>(initialMentions);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const length = body.trim().length;
  const tooLong = length > commentLimits.bodyLength;
  const tMentions = useTranslations('Mentions');

  const submit = async () => {
    if (sending) return;
    if (length === 0) {
      setError(t('errors.empty'));
      return;
    }
    if (tooLong) {
      setError(t('errors.tooLong', { limit: format.number(commentLimits.bodyLength) }));
      return;
    }
    setSending(true);
    setError(null);
    const failure = await onSubmit(body, keepMentions(body, picked, members));
    setSending(false);
    if (failure) setError(failure);
    else if (!onCancel) {
      setBody('');
      setPicked([]);
    }
  };

  return (
    <form
      className={styles.composer}
      data-testid={testId}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={`${id}-body`} className="visually-hidden">
        {label}
      </label>
      <MentionTextarea
        id={`${id}-body`}
        className={styles.textarea}
        value={body}
        placeholder={placeholder}
        rows={3}
        autoFocus={autoFocus}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint ${id}-error`}
        members={members}
        onMention={(member) =>
          setPicked((current) => (current.includes(member.id) ? current : [...current, member.id]))
        }
        onValueChange={(value) => {
          setBody(value);
          if (error) setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void submit();
          } else if (event.key === 'Escape' && onCancel) {
            event.preventDefault();
            onCancel();
          }
        }}
      />
      <div className={styles.composerRow}>
        <p id={`${id}-hint`} className={tooLong ? styles.error : styles.hint}>
          {tooLong
            ? t('errors.tooLong', { limit: format.number(commentLimits.bodyLength) })
            : `${t('shortcut')} · ${tMentions('hint')}`}
        </p>
        <div className={styles.composerButtons}>
          {onCancel ? (
            <button type="button" className="button button-quiet" onClick={onCancel}>
              {t('cancel')}
            </button>
          ) : null}
          <button type="submit" className="button" disabled={sending}>
            {sending ? t('sending') : submitLabel}
          </button>
        </div>
      </div>
      <p id={`${id}-error`} className={styles.error} role="alert">
        {error}
      </p>
    </form>
  );
}

/** A comment's text with the mentions of its mentioned members marked, as text. */
function CommentBody({ comment, members }: { comment: Comment; members: PlanMember[] }) {
  const segments = useMemo(
    () =>
      splitMentions(
        comment.body,
        members.filter((member) => comment.mentions.includes(member.id)),
      ),
    [comment.body, comment.mentions, members],
  );
  return segments.map((segment, index) =>
    'mentionId' in segment ? (
      <span key={index} className={styles.mention} data-testid="comment-mention">
        {segment.text}
      </span>
    ) : (
      segment.text
    ),
  );
}
