import type { Message } from '../../../core/index.js';
import type { HostedImageStore } from './hosted-image-store.js';
import { hostedImageUrl } from './images-route.js';

/** Puts a message's images on opsbot's own server, so a card can show them by URL instead of inside Teams' size limit. */
export class ImageHost {
  constructor(
    /** Where the images are kept; the images route serves from it. */
    readonly store: HostedImageStore,
    private readonly publicUrl: string,
  ) {}

  /** Stores each image block of `message` and returns its public URL, by block index. */
  async urlsOf(message: Message): Promise<Map<number, string>> {
    const urls = new Map<number, string>();
    for (const [index, block] of message.blocks.entries()) {
      if (block.type === 'image') urls.set(index, hostedImageUrl(this.publicUrl, await this.store.put(block.png)));
    }
    return urls;
  }
}
