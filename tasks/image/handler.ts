import { ImageInputSchema, ImageOutputSchema } from '../../schemas/tasks/image.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { image } from './image.js';

/** Lambda handler of the `image` task. */
export const handler = defineTask({ id: 'image', input: ImageInputSchema, output: ImageOutputSchema, run: image, clients: { ec2: ec2Client } });
