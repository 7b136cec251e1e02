/**
 * The rich-text editor's schema for item descriptions. It must produce only what the server's
 * check (domain/rich-text.ts) accepts; description-extensions.test.ts compares the two.
 *
 * Pasted HTML is parsed through this schema, so anything it does not name (scripts, images,
 * event handlers, styles) is dropped, and links keep only http, https and mailto addresses.
 */
import type { AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';

import { isAllowedLink } from '../../domain/rich-text';

export function descriptionExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Undo and redo come from Yjs (the Collaboration extension), limited to one's own edits.
      undoRedo: false,
      heading: { levels: [2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        protocols: ['mailto'],
        defaultProtocol: 'https',
        isAllowedUri: (url) => isAllowedLink(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank', class: null },
      },
    }),
  ];
}
