'use client';

import styles from './report.module.css';

/** Opens the browser's print dialog (where "Save as PDF" lives too). */
export function PrintButton({ label }: { label: string }) {
  return (
    <button type="button" className={styles.printButton} onClick={() => window.print()}>
      <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
        <path
          fill="currentColor"
          d="M5 2h10v4h1.5A2.5 2.5 0 0 1 19 8.5V15h-4v3H5v-3H1V8.5A2.5 2.5 0 0 1 3.5 6H5V2Zm2 4h6V4H7v2Zm0 7v3h6v-3H7Z"
        />
      </svg>
      {label}
    </button>
  );
}
