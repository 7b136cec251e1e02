import { useTranslations } from 'next-intl';

import { itemStatuses } from '../../../domain/plan-document';
import styles from './plan-board.module.css';

/** Shown until the plan has arrived: the board's shape, never an empty board. */
export function BoardSkeleton() {
  const t = useTranslations('Board');
  return (
    <div className={styles.skeleton} aria-busy="true" data-testid="board-loading">
      <p className={styles.loadingText} role="status">
        {t('loading')}
      </p>
      <div className={styles.columns} aria-hidden="true">
        {itemStatuses.map((status, column) => (
          <div key={status} className={`${styles.column} ${styles[status]}`}>
            <div className={styles.skeletonHeading} />
            {Array.from({ length: 3 - (column % 2) }, (_, index) => (
              <div key={index} className={styles.skeletonCard}>
                <div className={styles.skeletonLine} />
                <div className={`${styles.skeletonLine} ${styles.skeletonShort}`} />
                <div className={styles.skeletonBar} />
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
